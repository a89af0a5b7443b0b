import { Alert, Card, Table, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { EntitlementChildInput, EntitlementInput } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import { formatYuan } from '../lib/format.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';
import type { ChartOption } from './echart.tsx';
import { CASH_IDS, entitlementName } from './entitlement-results.tsx';
import { PageSpinner } from './page-spinner.tsx';

// ECharts loads only when a family has been calculated.
const EChart = lazy(() => import('./echart.tsx'));

/** At most this many years in the chart (one API call each). */
const MAX_YEARS = 25;

type YearRow = { year: number; byId: Record<string, number>; total: number };

/**
 * The years to show: from the first child's birth year to the year the youngest turns 3;
 * without children, the year of asOf and the three after it.
 */
export function timelineYears(input: EntitlementInput): number[] {
  const births = input.family.children
    .map((c) => c.birthDate)
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
    .sort();
  const asOfYear = Number(input.asOf.slice(0, 4));
  let start = asOfYear;
  let end = asOfYear + 3;
  if (births.length > 0) {
    start = Number(births[0].slice(0, 4));
    end = Number(births[births.length - 1].slice(0, 4)) + 3;
  }
  start = Math.max(start, end - MAX_YEARS + 1);
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

/**
 * One year of cash: the family as it stood on 31 December (children born by then), yearly
 * amounts for that calendar year, the one-time subsidy only in the child's birth year.
 */
async function cashForYear(input: EntitlementInput, year: number): Promise<YearRow> {
  const asOf = `${year}-12-31`;
  const kept: { index: number; child: EntitlementChildInput }[] = input.family.children
    .map((child, index) => ({ index, child }))
    .filter(({ child }) => child.birthDate <= asOf);
  const byId: Record<string, number> = Object.fromEntries(CASH_IDS.map((id) => [id, 0]));
  if (kept.length === 0) return { year, byId, total: 0 };
  const res = await api.entitlements({
    asOf,
    family: { ...input.family, children: kept.map((k) => k.child) },
  });
  for (const e of res.entitlements) {
    if (!e.eligible || !(e.id in byId)) continue;
    if (e.id === 'one_time_birth_subsidy') {
      const child = kept[Number(e.subject.slice(6))]?.child;
      if (!child || Number(child.birthDate.slice(0, 4)) !== year) continue;
    }
    byId[e.id] += e.amountFen ?? 0;
  }
  return { year, byId, total: Object.values(byId).reduce((s, v) => s + v, 0) };
}

const COLORS = ['#0f6ecd', '#52c41a', '#fa8c16', '#9254de'];

export function BenefitTimeline({ input, lang }: { input: EntitlementInput; lang: Language }) {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [rows, setRows] = useState<YearRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    Promise.all(timelineYears(input).map((y) => cashForYear(input, y))).then(
      (r) => live && setRows(r),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [input]);

  const option = useMemo<ChartOption | null>(() => {
    if (!rows) return null;
    const fmt = (v: number) => formatYuan(v, lang);
    return {
      color: COLORS,
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => fmt(Number(v) * 100),
      },
      xAxis: { type: 'category', data: rows.map((r) => String(r.year)) },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => fmt(v * 100) },
      },
      series: CASH_IDS.map((id) => ({
        type: 'bar' as const,
        name: entitlementName(id, t),
        stack: 'cash',
        barMaxWidth: 36,
        emphasis: { focus: 'series' as const },
        data: rows.map((r) => r.byId[id] / 100),
      })),
    };
  }, [rows, lang, t]);

  const grand = rows?.reduce((s, r) => s + r.total, 0) ?? 0;

  return (
    <Card className="timeline-card" title={t('calc.timelineTitle')} data-testid="timeline">
      <Typography.Paragraph type="secondary" className="timeline-note">
        {t('calc.timelineNote')}
      </Typography.Paragraph>
      {error !== null && (
        <Alert type="error" showIcon title={t('calc.timelineFailed')} description={problem(error)} />
      )}
      {error === null && !rows && <PageSpinner />}
      {rows && option && (
        <>
          <Suspense fallback={<PageSpinner />}>
            <EChart
              option={option}
              ariaLabel={t('calc.timelineTitle')}
              height={300}
              testId="timeline-chart"
            />
          </Suspense>
          <Table<YearRow>
            className="timeline-table"
            data-testid="timeline-table"
            size="small"
            rowKey="year"
            pagination={false}
            dataSource={rows.filter((r) => r.total > 0)}
            locale={{ emptyText: t('calc.timelineEmpty') }}
            columns={[
              { key: 'year', title: t('calc.timelineYear'), dataIndex: 'year', width: 72 },
              {
                key: 'items',
                title: t('calc.timelineItems'),
                render: (_: unknown, r: YearRow) =>
                  CASH_IDS.filter((id) => r.byId[id] > 0)
                    .map((id) => `${entitlementName(id, t)} ${formatYuan(r.byId[id], lang)}`)
                    .join('；'),
              },
              {
                key: 'total',
                title: t('calc.timelineTotal'),
                align: 'right',
                width: 96,
                render: (_: unknown, r: YearRow) => <strong>{formatYuan(r.total, lang)}</strong>,
              },
            ]}
            summary={() =>
              grand > 0 ? (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    {t('calc.timelineGrand')}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    <strong data-testid="timeline-grand">{formatYuan(grand, lang)}</strong>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
          />
        </>
      )}
    </Card>
  );
}
