import { DownloadOutlined, PrinterOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { SlotTargetRow, SlotTargets, SlotYear } from '../api/types.ts';
import type { MapDatum } from '../components/kunming-map.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage, type Language } from '../i18n/index.ts';
import { areaShortName } from '../lib/area-names.ts';
import { downloadBlob, slotTargetsWorkbook } from '../lib/export-slot-targets.ts';
import { formatInt, formatRate, formatShare } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

// The map (ECharts + the district GeoJSON) loads after the table, in its own chunk.
const KunmingMap = lazy(() =>
  import('../components/kunming-map.tsx').then((m) => ({ default: m.KunmingMap })),
);

type Metric = 'per1000' | 'total';

/** The share from the slot counts: the API's `inclusiveShare` is rounded (0.79998 → 0.8). */
function exactShare(s: SlotYear): number {
  return s.total > 0 ? s.inclusive / s.total : s.inclusiveShare;
}

function ShareCell({
  row,
  year,
  s,
  floor,
  lang,
}: {
  row: SlotTargetRow;
  year: number;
  s: SlotYear;
  floor: number;
  lang: Language;
}) {
  const { t } = useTranslation();
  const text = formatShare(exactShare(s), lang, floor);
  if (!s.belowFloor) return <span data-year={year}>{text}</span>;
  const why = t('childcare.belowFloor', {
    floor: formatShare(floor, lang),
    inclusive: formatInt(s.inclusive, lang),
    total: formatInt(s.total, lang),
    share: text,
  });
  return (
    <Tooltip title={why}>
      <Tag
        color="error"
        icon={<WarningOutlined />}
        className="slot-flag"
        tabIndex={0}
        aria-label={`${text} — ${why}`}
        data-testid="below-floor"
        data-area={row.code}
        data-year={year}
      >
        {text}
      </Tag>
    </Tooltip>
  );
}

function useColumns(data: SlotTargets, lang: Language): TableColumnsType<SlotTargetRow> {
  const { t } = useTranslation();
  return useMemo(() => {
    const floor = data.targets.inclusiveShareMin;
    const yearGroups: TableColumnsType<SlotTargetRow> = data.years.map((year) => {
      const slot = (r: SlotTargetRow) => r.slots[String(year)];
      return {
        key: `y${year}`,
        title: t('childcare.year', { year }),
        align: 'center' as const,
        className: 'year-start',
        children: [
          {
            key: `${year}-total`,
            title: t('childcare.total'),
            align: 'right' as const,
            width: 70,
            className: 'year-start',
            render: (_: unknown, r: SlotTargetRow) => (slot(r) ? formatInt(slot(r)!.total, lang) : '—'),
          },
          {
            key: `${year}-inclusive`,
            title: t('childcare.inclusive'),
            align: 'right' as const,
            width: 70,
            render: (_: unknown, r: SlotTargetRow) => (slot(r) ? formatInt(slot(r)!.inclusive, lang) : '—'),
          },
          {
            key: `${year}-per1000`,
            title: t('childcare.per1000'),
            align: 'right' as const,
            width: 62,
            render: (_: unknown, r: SlotTargetRow) => (slot(r) ? formatRate(slot(r)!.per1000, lang) : '—'),
          },
          {
            key: `${year}-share`,
            title: t('childcare.inclusiveShare'),
            align: 'right' as const,
            width: 96,
            render: (_: unknown, r: SlotTargetRow) => {
              const s = slot(r);
              return s ? <ShareCell row={r} year={year} s={s} floor={floor} lang={lang} /> : '—';
            },
          },
        ],
      };
    });
    return [
      {
        key: 'area',
        title: t('childcare.area'),
        fixed: 'left' as const,
        width: lang === 'en' ? 150 : 128,
        render: (_: unknown, r: SlotTargetRow) => (
          <span data-testid="area-name" data-code={r.code}>
            {r.kind === 'city' ? t('childcare.cityTotal') : areaShortName(r, lang)}
            {r.kind === 'functional-zone' && (
              <Tag style={{ marginInlineStart: 6 }} color="purple">
                {t('childcare.functionalZone')}
              </Tag>
            )}
          </span>
        ),
      },
      {
        key: 'population',
        title: t('childcare.population'),
        align: 'right' as const,
        width: 96,
        render: (_: unknown, r: SlotTargetRow) => formatInt(r.population2020, lang),
      },
      ...yearGroups,
    ];
  }, [data, lang, t]);
}

function MapCard({ data, lang }: { data: SlotTargets; lang: Language }) {
  const { t } = useTranslation();
  const [year, setYear] = useState(data.years[data.years.length - 1] ?? 2025);
  const [metric, setMetric] = useState<Metric>('total');

  const mapData = useMemo<MapDatum[]>(
    () =>
      data.rows.flatMap((r) => {
        const s = r.slots[String(year)];
        if (!r.mapName || !s) return [];
        return [
          {
            name: r.mapName,
            value: metric === 'per1000' ? s.per1000 : s.total,
            label: areaShortName(r, lang),
            detail: [
              `${t('childcare.total')}: ${formatInt(s.total, lang)}`,
              `${t('childcare.inclusive')}: ${formatInt(s.inclusive, lang)}`,
              `${t('childcare.per1000')}: ${formatRate(s.per1000, lang)}`,
              `${t('childcare.inclusiveShare')}: ${formatShare(exactShare(s), lang, data.targets.inclusiveShareMin)}`,
            ].join('<br/>'),
          },
        ];
      }),
    [data, year, metric, lang, t],
  );
  const valueFormatter = useCallback(
    (v: number) => (metric === 'per1000' ? formatRate(v, lang) : formatInt(v, lang)),
    [metric, lang],
  );

  return (
    <Card className="map-card" title={t('childcare.mapTitle')}>
      <Space wrap className="no-print map-controls">
        <Segmented
          aria-label={t('childcare.mapYear')}
          value={year}
          onChange={(v) => setYear(Number(v))}
          options={data.years.map((y) => ({ value: y, label: String(y) }))}
          data-testid="map-year"
        />
        <Segmented
          aria-label={t('childcare.mapMetric')}
          value={metric}
          onChange={(v) => setMetric(v as Metric)}
          options={[
            { value: 'total', label: t('childcare.metricTotal') },
            { value: 'per1000', label: t('childcare.metricPer1000') },
          ]}
          data-testid="map-metric"
        />
      </Space>
      <Typography.Text className="print-only" strong>
        {t('childcare.year', { year })} ·{' '}
        {metric === 'per1000' ? t('childcare.metricPer1000') : t('childcare.metricTotal')}
      </Typography.Text>
      <Suspense fallback={<PageSpinner />}>
        <KunmingMap
          data={mapData}
          valueFormatter={valueFormatter}
          noDataLabel={t('childcare.mapNoData')}
          ariaLabel={`${t('childcare.mapTitle')} ${year}`}
        />
      </Suspense>
      <Typography.Paragraph type="secondary" className="map-note" data-testid="map-note">
        {t('childcare.mapNote')}
      </Typography.Paragraph>
    </Card>
  );
}

function TargetsView({ data }: { data: SlotTargets }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const columns = useColumns(data, lang);
  const [exporting, setExporting] = useState(false);
  const floor = data.targets.inclusiveShareMin;

  // Areas first in the annex's order, the city last as the total row.
  const rows = useMemo(
    () => [...data.rows.filter((r) => r.kind !== 'city'), ...data.rows.filter((r) => r.kind === 'city')],
    [data],
  );
  const flagged = data.rows.reduce(
    (n, r) => n + data.years.filter((y) => r.slots[String(y)]?.belowFloor).length,
    0,
  );

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const now = new Date();
      const stamp = now.toISOString().slice(0, 10);
      const blob = await slotTargetsWorkbook(data, lang, {
        sheetName: t('childcare.sheetName'),
        title: t('childcare.title'),
        source: `${t('childcare.source', { clause: data.source.clause })} — ${data.source.text}`,
        targets: t('childcare.targetsNote', {
          per1000: data.targets.slotsPer1000,
          share: formatShare(floor, lang),
        }),
        generatedAt: t('childcare.generatedAt', { time: now.toLocaleString(lang) }),
        area: t('childcare.area'),
        cityTotal: t('childcare.cityTotal'),
        population: t('childcare.population'),
        year: (y) => t('childcare.year', { year: y }),
        total: t('childcare.total'),
        inclusive: t('childcare.inclusive'),
        per1000: t('childcare.per1000'),
        inclusiveShare: t('childcare.inclusiveShare'),
        belowFloor: (inclusive, total, share) =>
          t('childcare.belowFloor', {
            floor: formatShare(floor, lang),
            inclusive,
            total,
            share: formatShare(share, lang, floor),
          }),
      });
      const name = lang === 'en' ? `childcare-slot-targets-${stamp}.xlsx` : `托位建设任务-${stamp}.xlsx`;
      downloadBlob(blob, name);
    } catch (err) {
      console.error(err);
      void message.error(t('childcare.exportFailed'));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader title={t('childcare.title')} subtitle={t('childcare.subtitle')}>
        <Space wrap className="no-print">
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void exportXlsx()}
            loading={exporting}
            data-testid="export-xlsx"
          >
            {exporting ? t('childcare.exporting') : t('childcare.export')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print">
            {t('childcare.print')}
          </Button>
        </Space>
      </PageHeader>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('childcare.source', { clause: data.source.clause })} — {data.source.text}
        <br />
        {t('childcare.targetsNote', { per1000: data.targets.slotsPer1000, share: formatShare(floor, lang) })}
      </Typography.Paragraph>
      {flagged > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('childcare.belowFloorCount', { count: flagged, floor: formatShare(floor, lang) })}
          data-testid="below-floor-summary"
        />
      )}
      <Card styles={{ body: { padding: 0 } }} style={{ marginBottom: 16 }}>
        <Table<SlotTargetRow>
          className="slot-table"
          data-testid="slot-table"
          rowKey="code"
          size="small"
          bordered
          pagination={false}
          columns={columns}
          dataSource={rows}
          rowClassName={(r) => (r.kind === 'city' ? 'row-city' : '')}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <MapCard data={data} lang={lang} />
    </>
  );
}

/** 托位建设任务: the plan annex's childcare slot targets by management area (any signed-in role). */
export default function ChildcareTargetsPage() {
  const { t } = useTranslation();
  const message = useProblemMessage();
  const [state, reload] = useApi(() => api.slotTargets());
  if (state.status === 'loading') return <PageSpinner />;
  if (state.status === 'error') {
    return (
      <Alert
        type="error"
        showIcon
        title={t('childcare.loadFailed')}
        description={message(state.error)}
        action={<Button onClick={reload}>{t('errors.retry')}</Button>}
      />
    );
  }
  return <TargetsView data={state.data} />;
}
