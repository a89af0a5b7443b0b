import { DownloadOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  InputNumber,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Area, BudgetResult, BudgetYear, Job, Reform } from '../api/types.ts';
import type { ChartOption } from '../components/echart.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage, type Language } from '../i18n/index.ts';
import { areaCash, budgetWorkbook, programmeIds, type SheetSpec } from '../lib/export-budget.ts';
import { downloadBlob } from '../lib/export-slot-targets.ts';
import { formatBudgetYuan, formatInt, formatSignedBudgetYuan } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const EChart = lazy(() => import('../components/echart.tsx'));

const FIRST_YEAR = 2023;
const LAST_YEAR = 2030;
const CITY_POPULATION = 8_460_000;
const POLL_MS = 500;
const CURRENT_LAW = '__current__';

/** The order programmes are listed in (the calculator's order). */
const ORDER = [
  'one_time_birth_subsidy',
  'local_childcare_allowance',
  'national_childcare_subsidy',
  'infant_accident_insurance_subsidy',
  'housing_purchase_support',
  'maternity_leave',
  'paternity_leave',
  'parental_leave',
  'nursing_time',
  'elder_care_leave',
  'housing_fund_loan_uplift',
  'housing_fund_rent_withdrawal',
  'iit_infant_care_deduction',
  'public_rental_housing_preference',
  'guaranteed_rental_housing_tilt',
  'school_sibling_placement',
  'elderly_care_priority',
  'special_family_support',
];
const rank = (id: string) => {
  const i = ORDER.indexOf(id);
  return i < 0 ? ORDER.length : i;
};

const COLORS = ['#0f6ecd', '#52c41a', '#fa8c16', '#9254de', '#eb2f96', '#13c2c2'];

type FormValues = { reform: string; years: [Dayjs, Dayjs]; persons: number };
type YearKey = 'all' | number;

/** An axis tick with its unit: "¥30m" / "3000万元". */
function compactYuan(yuan: number, lang: Language): string {
  const n = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(yuan);
  return lang === 'en' ? `¥${n}` : `${n}元`;
}

function programmeName(id: string, t: TFunction) {
  return t(`ent.${id}`, { defaultValue: id });
}

/** Amount of a programme in its own unit, for the table. */
function amountText(amount: number, unit: string, lang: Language, t: TFunction): string {
  switch (unit) {
    case 'fen':
    case 'fen_deducted':
      return formatBudgetYuan(amount, lang);
    case 'families':
      return '—';
    default:
      return `${formatInt(amount, lang)} ${t(`budget.unitShort.${unit}`, { defaultValue: unit })}`;
  }
}

/** Programmes paid in cash (unit fen) that appear in the result. */
function cashProgrammes(result: BudgetResult): string[] {
  return programmeIds(result)
    .filter((id) => result.years[0]?.current.programmes[id]?.unit === 'fen')
    .sort((a, b) => rank(a) - rank(b));
}

type AreaTotal = { key: string; label: string; current: number; reform: number };

/** Cash by management area; counties outside Kunming become one row, as does 'unknown'. */
function areaTotals(
  result: BudgetResult,
  years: number[],
  areas: Area[],
  lang: Language,
  t: TFunction,
): AreaTotal[] {
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const out = new Map<string, AreaTotal>();
  const add = (key: string, label: string, which: 'current' | 'reform', fen: number) => {
    const row = out.get(key) ?? { key, label, current: 0, reform: 0 };
    row[which] += fen;
    out.set(key, row);
  };
  for (const y of result.years) {
    if (!years.includes(y.current.year)) continue;
    const scenarios: ['current' | 'reform', BudgetYear | undefined][] = [
      ['current', y.current],
      ['reform', y.reform],
    ];
    for (const [which, rep] of scenarios) {
      if (!rep) continue;
      for (const [code, progs] of Object.entries(rep.byArea)) {
        const fen = areaCash(progs);
        if (code === 'unknown') add('unknown', t('budget.areaUnknown'), which, fen);
        else if (!code.startsWith('5301')) add('outside', t('budget.areaOutside'), which, fen);
        else {
          const a = byCode.get(code);
          const label = a ? (lang === 'en' ? a.nameEn : a.shortName) : code;
          add(code, label, which, fen);
        }
      }
    }
  }
  const rows = [...out.values()];
  const tail = (k: string) => (k === 'outside' ? 1 : k === 'unknown' ? 2 : 0);
  return rows.sort((a, b) => tail(a.key) - tail(b.key) || b.current - a.current);
}

type TableRow = {
  key: string;
  year: number;
  id: string;
  unit: string;
  current: number;
  currentEligible: number;
  reform?: number;
  reformEligible?: number;
  difference?: number;
};

function tableRows(result: BudgetResult): TableRow[] {
  const ids = programmeIds(result).sort((a, b) => rank(a) - rank(b));
  return result.years.flatMap((y) =>
    ids.map((id) => {
      const c = y.current.programmes[id];
      const r = y.reform?.programmes[id];
      return {
        key: `${y.current.year}|${id}`,
        year: y.current.year,
        id,
        unit: c?.unit ?? '',
        current: c?.amount ?? 0,
        currentEligible: c?.eligible ?? 0,
        reform: r?.amount,
        reformEligible: r?.eligible,
        difference: y.reform ? y.reform.difference.programmes[id] : undefined,
      };
    }),
  );
}

/** A note of the simulation in the page's language (the server sends both). */
function noteText(note: { zh: string; en: string }, lang: Language): string {
  return lang === 'en' ? note.en : note.zh;
}

function BudgetResults({
  result,
  reform,
  areas,
}: {
  result: BudgetResult;
  reform: Reform | null;
  areas: Area[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const years = result.years.map((y) => y.current.year);
  const hasReform = result.years.some((y) => y.reform);
  const [yearKey, setYearKey] = useState<YearKey>('all');
  const [exporting, setExporting] = useState(false);
  const selectedYears = yearKey === 'all' ? years : [yearKey];
  const picked = result.years.filter((y) => selectedYears.includes(y.current.year));
  const sum = (f: (y: BudgetResult['years'][number]) => number) => picked.reduce((s, y) => s + f(y), 0);
  const current = sum((y) => y.current.cashTotalFen);
  const reformTotal = sum((y) => y.reform?.cashTotalFen ?? 0);
  const difference = sum((y) => y.reform?.difference.cashTotalFen ?? 0);
  const gaining = sum((y) => y.reform?.familiesGaining ?? 0);
  const losing = sum((y) => y.reform?.familiesLosing ?? 0);
  const familyUnit = selectedYears.length > 1 ? t('budget.familyYears') : t('budget.families');
  const reformName = reform ? (lang === 'en' ? reform.description.en : reform.description.zh) : null;

  const cash = useMemo(() => cashProgrammes(result), [result]);
  const stacked = useMemo<ChartOption>(() => {
    const cats = result.years.flatMap((y) =>
      hasReform
        ? [`${y.current.year}\n${t('budget.currentShort')}`, `${y.current.year}\n${t('budget.reformShort')}`]
        : [String(y.current.year)],
    );
    return {
      color: COLORS,
      grid: { left: 8, right: 12, top: 72, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => formatBudgetYuan(Number(v) * 100, lang),
      },
      xAxis: { type: 'category', data: cats, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compactYuan(v, lang) } },
      series: cash.map((id) => ({
        type: 'bar' as const,
        name: programmeName(id, t),
        stack: 'cash',
        barMaxWidth: 48,
        data: result.years.flatMap((y) => {
          const c = (y.current.programmes[id]?.amount ?? 0) / 100;
          return hasReform ? [c, (y.reform?.programmes[id]?.amount ?? 0) / 100] : [c];
        }),
      })),
    };
  }, [result, cash, hasReform, lang, t]);

  const areaRows = useMemo(
    () => areaTotals(result, selectedYears, areas, lang, t),
    [result, selectedYears, areas, lang, t],
  );
  const areaOption = useMemo<ChartOption>(() => {
    const rows = [...areaRows].reverse(); // the largest on top of a horizontal bar chart
    return {
      color: ['#0f6ecd', '#fa8c16'],
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => formatBudgetYuan(Number(v) * 100, lang),
      },
      xAxis: {
        type: 'value',
        splitNumber: 4,
        axisLabel: { hideOverlap: true, formatter: (v: number) => compactYuan(v, lang) },
      },
      yAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { fontSize: 12 } },
      series: [
        {
          type: 'bar' as const,
          name: t('budget.currentLaw'),
          data: rows.map((r) => r.current / 100),
          barMaxWidth: 14,
        },
        ...(hasReform
          ? [
              {
                type: 'bar' as const,
                name: t('budget.reform'),
                data: rows.map((r) => r.reform / 100),
                barMaxWidth: 14,
              },
            ]
          : []),
      ],
    };
  }, [areaRows, hasReform, lang, t]);

  const rows = useMemo(() => tableRows(result), [result]);
  const columns: TableColumnsType<TableRow> = [
    { key: 'year', title: t('budget.year'), dataIndex: 'year', width: 64, fixed: 'left' },
    {
      key: 'programme',
      title: t('budget.programme'),
      width: 180,
      render: (_: unknown, r) => (
        <span>
          {programmeName(r.id, t)}
          {r.unit === 'fen_deducted' && <Tag className="budget-tag">{t('budget.notCash')}</Tag>}
        </span>
      ),
    },
    {
      key: 'current',
      title: t('budget.currentLaw'),
      align: 'right',
      width: 130,
      render: (_: unknown, r) => amountText(r.current, r.unit, lang, t),
    },
    {
      key: 'currentEligible',
      title: t('budget.eligibleCount'),
      align: 'right',
      width: 96,
      render: (_: unknown, r) => formatInt(r.currentEligible, lang),
    },
    ...(hasReform
      ? ([
          {
            key: 'reform',
            title: t('budget.reform'),
            align: 'right',
            width: 130,
            render: (_: unknown, r: TableRow) =>
              r.reform === undefined ? '—' : amountText(r.reform, r.unit, lang, t),
          },
          {
            key: 'reformEligible',
            title: t('budget.eligibleCount'),
            align: 'right',
            width: 96,
            render: (_: unknown, r: TableRow) =>
              r.reformEligible === undefined ? '—' : formatInt(r.reformEligible, lang),
          },
          {
            key: 'difference',
            title: t('budget.difference'),
            align: 'right',
            width: 130,
            render: (_: unknown, r: TableRow) => {
              if (!r.difference) return '—';
              const text =
                r.unit === 'fen' || r.unit === 'fen_deducted'
                  ? formatSignedBudgetYuan(r.difference, lang)
                  : `${r.difference > 0 ? '+' : ''}${formatInt(r.difference, lang)}`;
              return <span className={r.difference > 0 ? 'diff-up' : 'diff-down'}>{text}</span>;
            },
          },
        ] as TableColumnsType<TableRow>)
      : []),
    {
      key: 'unit',
      title: t('budget.unit'),
      width: 140,
      render: (_: unknown, r) => t(`budget.units.${r.unit}`, { defaultValue: r.unit }),
    },
  ];

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const now = new Date();
      const yuan = (fen: number | undefined) => (fen === undefined ? null : fen / 100);
      const scenario = reformName ?? t('budget.currentLawOnly');
      const meta = [
        `${t('budget.scenario')}: ${scenario}`,
        t('budget.population', {
          persons: formatInt(result.persons, lang),
          families: formatInt(result.families, lang),
          children: formatInt(result.children, lang),
        }),
        t('childcare.generatedAt', { time: now.toLocaleString(lang) }),
      ];
      const sheets: SheetSpec[] = [
        {
          name: t('budget.sheetSummary'),
          title: t('budget.title'),
          lines: meta,
          header: [
            t('budget.year'),
            `${t('budget.currentLaw')} (${t('budget.yuan')})`,
            ...(hasReform
              ? [
                  `${t('budget.reform')} (${t('budget.yuan')})`,
                  `${t('budget.difference')} (${t('budget.yuan')})`,
                  t('budget.familiesGaining'),
                  t('budget.familiesLosing'),
                ]
              : []),
          ],
          rows: result.years.map((y) => [
            y.current.year,
            yuan(y.current.cashTotalFen),
            ...(hasReform
              ? [
                  yuan(y.reform?.cashTotalFen),
                  yuan(y.reform?.difference.cashTotalFen),
                  y.reform?.familiesGaining ?? null,
                  y.reform?.familiesLosing ?? null,
                ]
              : []),
          ]),
          moneyColumns: [1, 2, 3],
          widths: [10, 22, 22, 22, 16, 16],
        },
        {
          name: t('budget.sheetProgrammes'),
          title: t('budget.chartProgrammes'),
          lines: meta.slice(0, 1),
          header: [
            t('budget.year'),
            t('budget.programme'),
            t('budget.unit'),
            t('budget.currentLaw'),
            t('budget.eligibleCount'),
            ...(hasReform ? [t('budget.reform'), t('budget.eligibleCount'), t('budget.difference')] : []),
          ],
          rows: rows.map((r) => {
            const money = r.unit === 'fen' || r.unit === 'fen_deducted';
            const v = (n: number | undefined) => (n === undefined ? null : money ? n / 100 : n);
            return [
              r.year,
              programmeName(r.id, t),
              money ? t('budget.yuan') : t(`budget.units.${r.unit}`, { defaultValue: r.unit }),
              r.unit === 'families' ? null : v(r.current),
              r.currentEligible,
              ...(hasReform
                ? [r.unit === 'families' ? null : v(r.reform), r.reformEligible ?? null, v(r.difference)]
                : []),
            ];
          }),
          widths: [8, 30, 16, 20, 14, 20, 14, 20],
        },
        {
          name: t('budget.sheetAreas'),
          title: t('budget.chartAreas'),
          lines: [...meta.slice(0, 1), t('budget.areaNote')],
          header: [
            t('budget.areaCode'),
            t('budget.area'),
            ...years.flatMap((y) => [
              `${y} ${t('budget.currentLaw')} (${t('budget.yuan')})`,
              ...(hasReform ? [`${y} ${t('budget.reform')} (${t('budget.yuan')})`] : []),
            ]),
          ],
          rows: (() => {
            const perYear = years.map(
              (y) => new Map(areaTotals(result, [y], areas, lang, t).map((a) => [a.key, a])),
            );
            return areaTotals(result, years, areas, lang, t).map((a) => [
              a.key === 'outside' || a.key === 'unknown' ? null : a.key,
              a.label,
              ...perYear.flatMap((m) => {
                const r = m.get(a.key);
                return [r ? r.current / 100 : 0, ...(hasReform ? [r ? r.reform / 100 : 0] : [])];
              }),
            ]);
          })(),
          moneyColumns: Array.from({ length: years.length * (hasReform ? 2 : 1) }, (_, i) => i + 2),
          widths: [12, 22, ...years.flatMap(() => (hasReform ? [20, 20] : [20]))],
        },
        {
          name: t('budget.sheetNotes'),
          title: t('budget.notes'),
          header: [t('budget.notes')],
          rows: [
            ...result.notes.map((n) => [noteText(n, currentLanguage())]),
            [t('budget.areaNote')],
            [t('budget.syntheticNote')],
          ],
          widths: [120],
        },
      ];
      const blob = await budgetWorkbook(sheets);
      const stamp = now.toISOString().slice(0, 10);
      downloadBlob(blob, lang === 'en' ? `budget-simulation-${stamp}.xlsx` : `预算测算-${stamp}.xlsx`);
    } catch (err) {
      console.error(err);
      void message.error(t('budget.exportFailed'));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="budget-results" data-testid="budget-results">
      <div className="budget-results-bar">
        <Segmented<YearKey>
          value={yearKey}
          onChange={setYearKey}
          options={[
            { value: 'all', label: t('budget.allYears') },
            ...years.map((y) => ({ value: y, label: String(y) })),
          ]}
          aria-label={t('budget.year')}
          data-testid="budget-year"
        />
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void exportXlsx()}
          loading={exporting}
          data-testid="budget-export"
        >
          {exporting ? t('childcare.exporting') : t('childcare.export')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary" className="budget-population">
        {reformName ? `${t('budget.scenario')}: ${reformName} · ` : ''}
        {t('budget.population', {
          persons: formatInt(result.persons, lang),
          families: formatInt(result.families, lang),
          children: formatInt(result.children, lang),
        })}
      </Typography.Paragraph>
      <Row gutter={[12, 12]} className="budget-kpis">
        <Col xs={24} sm={12} xl={hasReform ? 6 : 12}>
          <Card size="small" data-testid="kpi-current">
            <Statistic title={t('budget.kpiCurrent')} value={formatBudgetYuan(current, lang)} />
          </Card>
        </Col>
        {hasReform && (
          <>
            <Col xs={24} sm={12} xl={6}>
              <Card size="small" data-testid="kpi-reform">
                <Statistic title={t('budget.kpiReform')} value={formatBudgetYuan(reformTotal, lang)} />
              </Card>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Card size="small" data-testid="kpi-difference" data-value={difference}>
                <Statistic
                  title={t('budget.kpiDifference')}
                  value={formatSignedBudgetYuan(difference, lang)}
                  styles={{
                    content: { color: difference > 0 ? '#cf1322' : difference < 0 ? '#389e0d' : undefined },
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Card size="small" data-testid="kpi-families">
                <Statistic
                  title={t('budget.kpiFamilies')}
                  value={`${formatInt(gaining, lang)} / ${formatInt(losing, lang)}`}
                  suffix={<span className="kpi-suffix">{familyUnit}</span>}
                />
              </Card>
            </Col>
          </>
        )}
      </Row>
      {!hasReform && (
        <Typography.Paragraph type="secondary" className="budget-hint">
          {t('budget.noReformHint')}
        </Typography.Paragraph>
      )}
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={13}>
          <Card size="small" title={t('budget.chartProgrammes')} className="budget-chart-card">
            <Suspense fallback={<PageSpinner />}>
              <EChart
                option={stacked}
                ariaLabel={t('budget.chartProgrammes')}
                height={360}
                testId="budget-chart-programmes"
              />
            </Suspense>
          </Card>
        </Col>
        <Col xs={24} xl={11}>
          <Card
            size="small"
            title={`${t('budget.chartAreas')} · ${yearKey === 'all' ? t('budget.allYears') : yearKey}`}
            className="budget-chart-card"
          >
            <Suspense fallback={<PageSpinner />}>
              <EChart
                option={areaOption}
                ariaLabel={t('budget.chartAreas')}
                height={Math.max(300, areaRows.length * (hasReform ? 30 : 22) + 60)}
                testId="budget-chart-areas"
              />
            </Suspense>
            <Typography.Paragraph type="secondary" className="budget-note">
              {t('budget.areaNote')}
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('budget.tableTitle')}
        className="budget-table-card"
        styles={{ body: { padding: 0 } }}
      >
        <Table<TableRow>
          size="small"
          rowKey="key"
          data-testid="budget-table"
          columns={columns}
          dataSource={rows.filter((r) => selectedYears.includes(r.year))}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Card size="small" title={t('budget.notes')} className="budget-notes" data-testid="budget-notes">
        <ul>
          {result.notes.map((n) => (
            <li key={n.en}>{noteText(n, currentLanguage())}</li>
          ))}
          <li>{t('budget.syntheticNote')}</li>
        </ul>
      </Card>
    </div>
  );
}

function JobProgress({ job }: { job: Job<BudgetResult> | null }) {
  const { t } = useTranslation();
  const p = job?.progress;
  const percent =
    job?.state === 'succeeded' ? 100 : p && p.total > 0 ? Math.round((p.done / p.total) * 100) : job ? 5 : 0;
  const state = job?.state ?? 'queued';
  return (
    <Card size="small" className="budget-progress" data-testid="budget-progress" data-state={state}>
      <Space orientation="vertical" style={{ width: '100%' }} size={4}>
        <span>
          {t(`budget.state.${state}`)}
          {p?.message ? ` · ${t(`budget.step.${p.message}`, { defaultValue: p.message })}` : ''}
        </span>
        <Progress
          percent={percent}
          status={state === 'failed' ? 'exception' : state === 'succeeded' ? 'success' : 'active'}
        />
      </Space>
    </Card>
  );
}

function BudgetPage({ reforms, areas }: { reforms: Reform[]; areas: Area[] }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const [form] = Form.useForm<FormValues>();
  const [jobId, setJobId] = useState<number | null>(null);
  const [job, setJob] = useState<Job<BudgetResult> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [reformId, setReformId] = useState<string | null>(null);

  // Poll the job every 500 ms until it is done.
  useEffect(() => {
    if (jobId === null) return;
    let live = true;
    let timer = 0;
    const tick = async () => {
      try {
        const j = await api.budgetJob(jobId);
        if (!live) return;
        setJob(j);
        if (j.state === 'queued' || j.state === 'running') timer = window.setTimeout(tick, POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [jobId]);

  const run = async (v: FormValues) => {
    setSubmitting(true);
    setError(null);
    setJob(null);
    setJobId(null);
    const [from, to] = v.years;
    const years = Array.from({ length: to.year() - from.year() + 1 }, (_, i) => from.year() + i);
    const reform = v.reform === CURRENT_LAW ? null : v.reform;
    try {
      const res = await api.startBudgetSimulation({ years, reform, persons: v.persons });
      setReformId(reform);
      setJobId(res.jobId);
    } catch (err) {
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  const running = job === null ? jobId !== null : job.state === 'queued' || job.state === 'running';
  const reform = reforms.find((r) => r.id === reformId) ?? null;

  return (
    <>
      <PageHeader title={t('budget.title')} subtitle={t('budget.subtitle')} />
      <Card size="small" className="budget-form-card">
        <Form<FormValues>
          form={form}
          layout="vertical"
          name="budget"
          onFinish={run}
          requiredMark={false}
          initialValues={{
            reform: CURRENT_LAW,
            years: [dayjs('2025-01-01'), dayjs('2027-01-01')],
            persons: CITY_POPULATION,
          }}
        >
          <Row gutter={16}>
            <Col xs={24} lg={10}>
              <Form.Item name="reform" label={t('budget.reformLabel')}>
                <Select
                  data-testid="budget-reform"
                  options={[
                    { value: CURRENT_LAW, label: t('budget.currentLawOnly') },
                    ...reforms.map((r) => ({
                      value: r.id,
                      label: lang === 'en' ? r.description.en : r.description.zh,
                    })),
                  ]}
                  optionRender={(o) => <span className="budget-reform-option">{o.label}</span>}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={7}>
              <Form.Item
                name="years"
                label={t('budget.years')}
                rules={[{ required: true, message: t('budget.yearsRequired') }]}
              >
                <DatePicker.RangePicker
                  picker="year"
                  allowClear={false}
                  style={{ width: '100%' }}
                  minDate={dayjs(`${FIRST_YEAR}-01-01`)}
                  maxDate={dayjs(`${LAST_YEAR}-12-31`)}
                  data-testid="budget-years"
                  inputReadOnly
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={7}>
              <Form.Item
                name="persons"
                label={t('budget.persons')}
                extra={t('budget.personsHelp')}
                rules={[{ required: true, message: t('budget.personsRequired') }]}
              >
                <InputNumber<number>
                  min={1000}
                  max={9_000_000}
                  step={10_000}
                  precision={0}
                  style={{ width: '100%' }}
                  formatter={(v) => (v === undefined || v === null ? '' : formatInt(Number(v), 'en'))}
                  parser={(v) => Number((v ?? '').replace(/[^\d]/g, ''))}
                  data-testid="budget-persons"
                />
              </Form.Item>
            </Col>
          </Row>
          <Button
            type="primary"
            htmlType="submit"
            icon={<PlayCircleOutlined />}
            loading={submitting || running}
            data-testid="budget-run"
          >
            {running ? t('budget.running') : t('budget.run')}
          </Button>
        </Form>
      </Card>
      {error !== null && (
        <Alert
          type="error"
          showIcon
          className="budget-error"
          title={t('budget.failed')}
          description={problem(error)}
          data-testid="budget-error"
        />
      )}
      {jobId !== null && <JobProgress job={job} />}
      {job?.state === 'failed' && (
        <Alert
          type="error"
          showIcon
          className="budget-error"
          title={t('budget.failed')}
          description={job.error ?? undefined}
        />
      )}
      {job?.state === 'succeeded' && job.result && (
        <BudgetResults result={job.result} reform={reform} areas={areas} />
      )}
    </>
  );
}

/** 预算测算: current law against a reform over a synthetic Kunming, run as a job with progress. */
export default function BudgetSimulationPage() {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [state, reload] = useApi(() => Promise.all([api.budgetReforms(), api.areas()]));
  if (state.status === 'loading') return <PageSpinner />;
  if (state.status === 'error') {
    return (
      <Alert
        type="error"
        showIcon
        title={t('budget.loadFailed')}
        description={problem(state.error)}
        action={<Button onClick={reload}>{t('errors.retry')}</Button>}
      />
    );
  }
  const [{ reforms }, { areas }] = state.data;
  return <BudgetPage reforms={reforms} areas={areas} />;
}
