import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Progress,
  Row,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { Quality, QualityRow } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import type { ChartOption } from '../components/echart.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage } from '../i18n/index.ts';
import { managementAreaLabel, managementAreas } from '../lib/area-names.ts';
import { formatInt } from '../lib/format.ts';
import {
  areaLabel,
  feedTitle,
  formatDateTime,
  percent,
  rateColor,
  SOURCE_ORDER,
  sourceLabel,
  sourceRank,
} from '../lib/registry.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const EChart = lazy(() => import('../components/echart.tsx'));

const METRICS = ['completeness', 'validity', 'timeliness', 'linkageRate'] as const;
type Metric = (typeof METRICS)[number];
const METRIC_COLORS = ['#0f6ecd', '#52c41a', '#fa8c16', '#9254de'];
/** One colour per source, in SOURCE_ORDER's order of the sources present. */
const SOURCE_COLORS: Record<(typeof SOURCE_ORDER)[number], string> = {
  police: '#0f6ecd',
  health: '#eb2f96',
  'medical-insurance': '#13a8a8',
  'social-security': '#fa8c16',
  'civil-affairs': '#722ed1',
  education: '#52c41a',
  'housing-fund': '#8c8c8c',
};

function RateBar({ rate, testId }: { rate: number | null; testId?: string }) {
  const p = percent(rate);
  if (p === null) return <span className="rate-none">—</span>;
  return (
    <Progress
      percent={p}
      size="small"
      strokeColor={rateColor(rate)}
      format={(v) => <span style={{ color: rateColor(rate) }}>{`${v}%`}</span>}
      className="rate-bar"
      data-testid={testId}
      status="normal"
    />
  );
}

type TrendPoint = { importId: number; at: string; feed: string; source: string; rows: number } & Record<
  Metric,
  number | null
>;

/** One point per import: the rates of its areas, weighted by rows. */
function trendPoints(rows: QualityRow[]): TrendPoint[] {
  const by = new Map<number, QualityRow[]>();
  for (const r of rows) by.set(r.importId, [...(by.get(r.importId) ?? []), r]);
  return [...by.entries()]
    .map(([importId, rs]) => {
      const total = rs.reduce((s, r) => s + r.rows, 0);
      const avg = (m: Metric) => {
        const with_ = rs.filter((r) => r[m] !== null);
        const w = with_.reduce((s, r) => s + r.rows, 0);
        return w === 0 ? null : with_.reduce((s, r) => s + (r[m] ?? 0) * r.rows, 0) / w;
      };
      return {
        importId,
        at: rs[0].at,
        feed: rs[0].feed,
        source: rs[0].source,
        rows: total,
        completeness: avg('completeness'),
        validity: avg('validity'),
        timeliness: avg('timeliness'),
        linkageRate: avg('linkageRate'),
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.importId - b.importId);
}

/**
 * `source` is the page's filter. With one source the chart follows its four rates over its
 * imports; with all sources, one rate at a time, a line per source (a line through every import
 * would join different departments' files).
 */
function QualityView({ data, source }: { data: Quality; source: string | undefined }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<Metric>('linkageRate');
  const bySource = source === undefined;
  // With all sources the chart plots one rate: the title says which.
  const trendTitle = bySource
    ? `${t('quality.trendBySource')} · ${t(`quality.${metric}`)}`
    : t('quality.trend');
  const lang = currentLanguage();
  const rows = useMemo(
    () =>
      [...data.latest].sort(
        (a, b) =>
          sourceRank(a.source) - sourceRank(b.source) ||
          a.feed.localeCompare(b.feed) ||
          a.areaCode.localeCompare(b.areaCode),
      ),
    [data.latest],
  );
  const points = useMemo(() => trendPoints(data.trend), [data.trend]);

  const option = useMemo<ChartOption>(
    () => ({
      color: METRIC_COLORS,
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) =>
          v === null || v === undefined || v === '-' ? '—' : `${Number(v).toFixed(1)}%`,
      },
      xAxis: {
        type: 'category',
        data: points.map((p) => `#${p.importId} ${sourceLabel(p.source, t)}`),
        axisLabel: { fontSize: 11, hideOverlap: true },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: bySource
        ? SOURCE_ORDER.filter((src) => points.some((p) => p.source === src)).map((src) => ({
            type: 'line' as const,
            name: sourceLabel(src, t),
            // A source keeps its colour whichever other sources have imports.
            itemStyle: { color: SOURCE_COLORS[src] },
            lineStyle: { color: SOURCE_COLORS[src] },
            data: points.map((p) => (p.source === src ? percent(p[metric]) : null)),
            connectNulls: true,
            symbolSize: 6,
          }))
        : METRICS.map((m) => ({
            type: 'line' as const,
            name: t(`quality.${m}`),
            data: points.map((p) => percent(p[m])),
            connectNulls: true,
            symbolSize: 6,
          })),
    }),
    [points, t, bySource, metric],
  );

  const columns: TableColumnsType<QualityRow> = [
    {
      key: 'source',
      title: t('quality.source'),
      width: 210,
      fixed: 'left',
      render: (_: unknown, r) => (
        <div className="quality-source" data-testid="quality-source" data-source={r.source}>
          <Tag color="blue">{sourceLabel(r.source, t)}</Tag>
          <div className="quality-feed">{feedTitle(r.feed, t)}</div>
        </div>
      ),
    },
    {
      key: 'area',
      title: t('quality.area'),
      width: 100,
      render: (_: unknown, r) => areaLabel(r.areaCode, lang),
    },
    {
      key: 'rows',
      title: t('quality.rows'),
      width: 80,
      align: 'right',
      render: (_: unknown, r) => formatInt(r.rows, lang),
    },
    ...METRICS.map((m) => ({
      key: m,
      title: t(`quality.${m}`),
      width: 140,
      render: (_: unknown, r: QualityRow) => <RateBar rate={r[m]} testId={`rate-${m}`} />,
    })),
    {
      key: 'conflicts',
      title: t('quality.openConflicts'),
      width: 90,
      align: 'right',
      render: (_: unknown, r) =>
        r.openConflicts > 0 ? <Tag color="red">{formatInt(r.openConflicts, lang)}</Tag> : '0',
    },
    {
      key: 'at',
      title: t('quality.lastImport'),
      width: 150,
      render: (_: unknown, r) => (
        <span className="nowrap" title={`#${r.importId}`}>
          {formatDateTime(r.at, lang)}
        </span>
      ),
    },
  ];

  if (rows.length === 0) {
    return (
      <Card size="small">
        <Empty description={t('quality.empty')} data-testid="quality-empty" />
      </Card>
    );
  }

  return (
    <>
      <Card
        size="small"
        title={t('quality.tableTitle')}
        className="quality-card"
        styles={{ body: { padding: 0 } }}
      >
        <Table<QualityRow>
          size="small"
          rowKey={(r) => `${r.feed}|${r.areaCode}`}
          data-testid="quality-table"
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
        />
        <Typography.Paragraph type="secondary" className="quality-note">
          {t('quality.note')}
        </Typography.Paragraph>
      </Card>
      <Card
        size="small"
        title={trendTitle}
        className="quality-card"
        extra={
          bySource && (
            <Segmented<Metric>
              size="small"
              value={metric}
              onChange={setMetric}
              options={METRICS.map((m) => ({ value: m, label: t(`quality.${m}`) }))}
              data-testid="quality-trend-metric"
            />
          )
        }
      >
        <Suspense fallback={<PageSpinner />}>
          <EChart option={option} ariaLabel={trendTitle} height={320} testId="quality-trend" />
        </Suspense>
      </Card>
    </>
  );
}

/** 数据质量: per department and area, the latest rates with coloured bars and the trend over imports. */
export default function RegistryQualityPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const cityWide = user?.role === 'city_admin';
  const [areaCode, setAreaCode] = useState<string | undefined>(undefined);
  const [source, setSource] = useState<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ok'; data: Quality }
  >({ status: 'loading' });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the query
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    api.quality({ areaCode, source }).then(
      (data) => live && setState({ status: 'ok', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [areaCode, source, attempt]);

  return (
    <>
      <PageHeader
        title={t('quality.title')}
        subtitle={t('quality.subtitle', { scope: user?.areaName ?? t('header.cityWide') })}
      >
        <Button icon={<ReloadOutlined />} onClick={() => setAttempt((n) => n + 1)}>
          {t('audit.reload')}
        </Button>
      </PageHeader>
      <Card size="small" className="quality-card">
        <Form layout="vertical" className="quality-filters">
          <Row gutter={16}>
            {cityWide && (
              <Col xs={24} sm={12} lg={8}>
                <Form.Item label={t('quality.area')}>
                  <Select
                    allowClear
                    value={areaCode}
                    onChange={(v: string | undefined) => setAreaCode(v)}
                    placeholder={t('search.allAreas')}
                    options={managementAreas.map((a) => ({
                      value: a.code,
                      label: managementAreaLabel(a.code, lang) ?? a.code,
                    }))}
                    data-testid="quality-area"
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} sm={12} lg={8}>
              <Form.Item label={t('quality.source')}>
                <Select
                  allowClear
                  value={source}
                  onChange={(v: string | undefined) => setSource(v)}
                  placeholder={t('quality.allSources')}
                  options={SOURCE_ORDER.map((s) => ({ value: s, label: sourceLabel(s, t) }))}
                  data-testid="quality-source-filter"
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {state.status === 'loading' && <PageSpinner />}
      {state.status === 'error' && (
        <Alert
          type="error"
          showIcon
          title={t('quality.loadFailed')}
          description={problem(state.error)}
          action={<Button onClick={() => setAttempt((n) => n + 1)}>{t('errors.retry')}</Button>}
        />
      )}
      {state.status === 'ok' && <QualityView data={state.data} source={source} />}
    </>
  );
}
