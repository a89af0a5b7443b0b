import {
  CloudUploadOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  InboxOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Progress,
  Row,
  Select,
  type SelectProps,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client.ts';
import type { Feed, ImportReject, ImportState, ImportStatus } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage, type Language } from '../i18n/index.ts';
import { downloadBlob } from '../lib/export-slot-targets.ts';
import { formatInt } from '../lib/format.ts';
import {
  areaLabel,
  feedDepartment,
  feedTitle,
  formatDateTime,
  ownSources,
  reasonLabel,
  sourceLabel,
  sourceRank,
} from '../lib/registry.ts';
import { useApi } from '../lib/use-api.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const POLL_MS = 500;
const REJECTS_PAGE = 20;
const ACCEPT = '.csv,.txt,.xlsx,.jsonl,.json,.ndjson';

const STATE_COLOR: Record<ImportState, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  refused: 'error',
  failed: 'error',
};

function done(state: ImportState | undefined): boolean {
  return state === 'succeeded' || state === 'refused' || state === 'failed';
}

/** A full ID number that slipped through unmasked (defence in depth: the server masks). */
function maskIds(v: string): string {
  return v.replace(/(?<![\dA-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![\dA-Za-z])/g, '$1**********$2');
}

function StateTag({ state }: { state: ImportState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} data-testid="import-state-tag" data-state={state}>
      {t(`imports.state.${state}`)}
    </Tag>
  );
}

function encodingText(f: Feed, t: TFunction): string {
  const enc = t(`imports.encodings.${f.encoding}`, { defaultValue: f.encoding });
  return `${f.format.toUpperCase()} · ${enc}`;
}

/** The localized server message of a refused or failed import. */
function errorText(s: ImportStatus, lang: Language): string | undefined {
  return s.error ? (s.error.messages[lang] ?? s.error.messages['zh-CN']) : undefined;
}

function RejectsTable({ status, feed }: { status: ImportStatus; feed: Feed | undefined }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; rejects: ImportReject[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    let live = true;
    setError(null);
    api.importRejects(status.id, (page - 1) * REJECTS_PAGE, REJECTS_PAGE).then(
      (r) => live && setData(r),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [status.id, page]);

  const headerOf = (key: string | null) => {
    if (!key) return '—';
    const c = feed?.columns.find((x) => x.key === key);
    if (!c) return key;
    return lang === 'en' ? `${c.header} (${c.key})` : c.header;
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const f = await api.importRejectsXlsx(status.id);
      downloadBlob(f.blob, f.fileName);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumnsType<ImportReject> = [
    { key: 'line', title: t('imports.line'), dataIndex: 'line', width: 72, fixed: 'left' },
    {
      key: 'column',
      title: t('imports.column'),
      width: 130,
      render: (_: unknown, r) => headerOf(r.column),
    },
    {
      key: 'reason',
      title: t('imports.reason'),
      width: 170,
      render: (_: unknown, r) => (
        <span data-testid="reject-reason" data-code={r.reason}>
          {reasonLabel(r.reason, t, r.message, lang)}
        </span>
      ),
    },
    {
      key: 'value',
      title: t('imports.value'),
      width: 190,
      render: (_: unknown, r) => {
        const v = r.column ? r.values[r.column] : null;
        return <span className="mono">{v ? maskIds(v) : '—'}</span>;
      },
    },
    {
      key: 'record',
      title: t('imports.recordId'),
      width: 200,
      render: (_: unknown, r) => <span className="mono">{r.recordId ? maskIds(r.recordId) : '—'}</span>,
    },
  ];

  return (
    <Card
      size="small"
      title={t('imports.rejectsTable')}
      className="imports-card"
      extra={
        <Button
          size="small"
          icon={<FileExcelOutlined />}
          onClick={() => void exportXlsx()}
          loading={exporting}
          data-testid="rejects-xlsx"
        >
          {t('imports.downloadRejects')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      {error !== null && <Alert type="error" showIcon title={problem(error)} />}
      <Table<ImportReject>
        size="small"
        rowKey={(r) => `${r.line}|${r.reason}|${r.column ?? ''}`}
        data-testid="rejects-table"
        columns={columns}
        dataSource={data?.rejects ?? []}
        loading={data === null && error === null}
        scroll={{ x: 'max-content' }}
        pagination={
          (data?.total ?? 0) > REJECTS_PAGE
            ? {
                current: page,
                pageSize: REJECTS_PAGE,
                total: data?.total ?? 0,
                onChange: setPage,
                showSizeChanger: false,
                size: 'small',
              }
            : false
        }
      />
    </Card>
  );
}

function ReportView({ status, feed }: { status: ImportStatus; feed: Feed | undefined }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const r = status.report;
  if (!r) return null;
  const reasons = Object.entries(r.rejectsByReason).sort((a, b) => b[1] - a[1]);
  const warnings = Object.entries(r.warningsByReason ?? {}).sort((a, b) => b[1] - a[1]);
  const kpis: { key: string; value: number; tone?: string }[] = [
    { key: 'accepted', value: r.accepted, tone: 'good' },
    { key: 'rejected', value: r.rejected, tone: r.rejected > 0 ? 'bad' : undefined },
    { key: 'updated', value: r.updated },
    { key: 'unchanged', value: r.unchanged },
    { key: 'queuedForReview', value: r.queuedForReview, tone: r.queuedForReview > 0 ? 'warn' : undefined },
  ];
  return (
    <div className="imports-report" data-testid="import-report">
      {r.alreadyImported && (
        <Alert
          type="info"
          showIcon
          className="imports-alert"
          title={t('imports.alreadyImported', { id: r.previousImportId ?? '—' })}
        />
      )}
      <Row gutter={[12, 12]} className="imports-kpis">
        {kpis.map((k) => (
          <Col xs={8} lg={4} key={k.key}>
            <Card size="small" className={`imports-kpi${k.tone ? ` kpi-${k.tone}` : ''}`}>
              <Statistic
                title={t(`imports.${k.key}`)}
                value={formatInt(k.value, lang)}
                data-testid={`kpi-${k.key}`}
              />
            </Card>
          </Col>
        ))}
        <Col xs={8} lg={4}>
          <Card size="small" className="imports-kpi">
            <Statistic title={t('imports.rows')} value={formatInt(r.rows, lang)} data-testid="kpi-rows" />
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" className="imports-report-meta">
        {[
          `${feedTitle(r.feed, t)} · ${status.fileName}`,
          r.durationMs !== undefined
            ? t('imports.duration', { seconds: (r.durationMs / 1000).toFixed(1) })
            : null,
          r.personsCreated !== undefined ? t('imports.personsCreated', { count: r.personsCreated }) : null,
          r.conflicts ? t('imports.conflictsFound', { count: r.conflicts }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Paragraph>
      {r.queuedForReview > 0 && (
        <Alert
          type="warning"
          showIcon
          className="imports-alert"
          title={t('imports.reviewHint', { count: r.queuedForReview })}
          action={
            <Link to="/registry/reviews">
              <Button size="small">{t('nav.reviews')}</Button>
            </Link>
          }
        />
      )}
      {(reasons.length > 0 || warnings.length > 0) && (
        <Card size="small" title={t('imports.rejectsByReason')} className="imports-card">
          {reasons.length === 0 ? (
            <Typography.Text type="secondary">{t('imports.noRejects')}</Typography.Text>
          ) : (
            <div className="reason-tags" data-testid="rejects-by-reason">
              {reasons.map(([code, n]) => (
                <Tag key={code} color="red" data-code={code}>
                  {reasonLabel(code, t)} × {formatInt(n, lang)}
                </Tag>
              ))}
            </div>
          )}
          {warnings.length > 0 && (
            <div className="reason-warnings">
              <Typography.Text type="secondary">{t('imports.warningsByReason')}</Typography.Text>
              <div className="reason-tags">
                {warnings.map(([code, n]) => (
                  <Tag key={code} color="gold" data-code={code}>
                    {t(`registry.warning.${code}`, { defaultValue: reasonLabel(code, t) })} ×{' '}
                    {formatInt(n, lang)}
                  </Tag>
                ))}
              </div>
            </div>
          )}
        </Card>
      )}
      {r.rejected > 0 && <RejectsTable status={status} feed={feed} />}
    </div>
  );
}

/** Polls an import until it is done, then shows its outcome. */
function ImportOutcome({
  id,
  feeds,
  onDone,
}: {
  id: number;
  feeds: Feed[];
  onDone: (s: ImportStatus) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `onDone` is the parent's callback; polling restarts only for another import
  useEffect(() => {
    let live = true;
    let timer = 0;
    setStatus(null);
    setError(null);
    const tick = async () => {
      try {
        const s = await api.importStatus(id);
        if (!live) return;
        setStatus(s);
        if (done(s.state)) onDone(s);
        else timer = window.setTimeout(tick, POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    };
    void tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [id]);

  if (error !== null) return <Alert type="error" showIcon className="imports-alert" title={problem(error)} />;
  if (!status) return <PageSpinner />;
  const feed = feeds.find((f) => f.id === status.feed);
  const p = status.progress;
  const rowsRead = p?.message ? /^(\d+)/.exec(p.message)?.[1] : undefined;
  const pct = p?.total
    ? Math.min(99, Math.round((p.done / p.total) * 100))
    : status.state === 'running'
      ? 50
      : 5;

  return (
    <div className="imports-outcome" data-testid="import-outcome" data-state={status.state}>
      <Card size="small" className="imports-card" data-testid="import-progress">
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          <span>
            <StateTag state={status.state} /> {feedTitle(status.feed, t, feeds)} · {status.fileName}
            {rowsRead && !done(status.state)
              ? ` · ${t('imports.rowsRead', { count: Number(rowsRead) })}`
              : ''}
          </span>
          {!done(status.state) && (
            <Typography.Text type="secondary">{t('imports.runningHint')}</Typography.Text>
          )}
          {!done(status.state) && <Progress percent={pct} status="active" />}
        </Space>
      </Card>
      {status.state === 'refused' && (
        <Alert
          type="error"
          showIcon
          className="imports-alert"
          title={t('imports.refusedTitle')}
          description={errorText(status, lang) ?? t('imports.nothingImported')}
          data-testid="import-refused"
        />
      )}
      {status.state === 'failed' && (
        <Alert
          type="error"
          showIcon
          className="imports-alert"
          title={t('imports.failedTitle')}
          description={errorText(status, lang)}
          data-testid="import-failed"
        />
      )}
      {status.state === 'succeeded' && <ReportView status={status} feed={feed} />}
    </div>
  );
}

function History({
  imports,
  feeds,
  onOpen,
  onReload,
  loading,
}: {
  imports: ImportStatus[];
  feeds: Feed[];
  onOpen: (id: number) => void;
  onReload: () => void;
  loading: boolean;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const columns: TableColumnsType<ImportStatus> = [
    {
      key: 'time',
      title: t('imports.time'),
      width: 150,
      render: (_: unknown, s) => formatDateTime(s.createdAt, lang),
    },
    {
      key: 'feed',
      title: t('imports.feed'),
      width: 220,
      render: (_: unknown, s) => (
        <span>
          <Tag>{sourceLabel(s.source, t)}</Tag>
          {feedTitle(s.feed, t, feeds)}
        </span>
      ),
    },
    { key: 'file', title: t('imports.file'), dataIndex: 'fileName', width: 180 },
    {
      key: 'state',
      title: t('imports.status'),
      width: 90,
      render: (_: unknown, s) => <StateTag state={s.state} />,
    },
    {
      key: 'counts',
      title: t('imports.counts'),
      width: 170,
      render: (_: unknown, s) =>
        s.report
          ? t('imports.countsText', {
              accepted: formatInt(s.report.accepted, lang),
              rejected: formatInt(s.report.rejected, lang),
            })
          : s.state === 'refused'
            ? t('imports.nothingImportedShort')
            : '—',
    },
    {
      key: 'who',
      title: t('imports.submittedBy'),
      width: 160,
      render: (_: unknown, s) =>
        [s.submittedBy, s.areaCode ? areaLabel(s.areaCode, lang) : t('header.cityWide')]
          .filter(Boolean)
          .join(' · '),
    },
    {
      key: 'open',
      title: '',
      width: 90,
      render: (_: unknown, s) => (
        <Button type="link" size="small" onClick={() => onOpen(s.id)} data-testid="history-open">
          {t('imports.open')}
        </Button>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('imports.history')}
      className="imports-card"
      extra={
        <Button size="small" icon={<ReloadOutlined />} onClick={onReload} loading={loading}>
          {t('audit.reload')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <Table<ImportStatus>
        size="small"
        rowKey="id"
        data-testid="imports-history"
        columns={columns}
        dataSource={imports}
        pagination={imports.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('imports.historyEmpty') }}
      />
    </Card>
  );
}

function ImportsPage({ feeds }: { feeds: Feed[] }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { message } = App.useApp();
  const problem = useProblemMessage();
  const own = useMemo(() => ownSources(user), [user]);
  const sorted = useMemo(
    () => [...feeds].sort((a, b) => sourceRank(a.source) - sourceRank(b.source)),
    [feeds],
  );
  const mine = sorted.filter((f) => own === null || own.has(f.source));
  const others = sorted.filter((f) => own !== null && !own.has(f.source));
  const [feedId, setFeedId] = useState<string | undefined>(mine[0]?.id);
  const [file, setFile] = useState<UploadFile | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [importId, setImportId] = useState<number | null>(null);
  const [history, setHistory] = useState<ImportStatus[] | null>(null);
  const [historyLoading, setHistoryLoading] = useState(false);
  const [historyError, setHistoryError] = useState<unknown>(null);
  const [templateBusy, setTemplateBusy] = useState(false);
  const feed = feeds.find((f) => f.id === feedId);
  const foreign = feed !== undefined && own !== null && !own.has(feed.source);

  const loadHistory = useCallback(() => {
    setHistoryLoading(true);
    api.imports(50).then(
      (r) => {
        setHistory(r.imports);
        setHistoryError(null);
        setHistoryLoading(false);
      },
      (err: unknown) => {
        setHistoryError(err);
        setHistoryLoading(false);
      },
    );
  }, []);
  useEffect(() => loadHistory(), [loadHistory]);

  const downloadTemplate = async () => {
    if (!feed) return;
    setTemplateBusy(true);
    try {
      const f = await api.importTemplate(feed.id);
      downloadBlob(f.blob, f.fileName);
    } catch (err) {
      void message.error(problem(err));
    } finally {
      setTemplateBusy(false);
    }
  };

  const start = async () => {
    const raw = file?.originFileObj;
    if (!feed || !raw) return;
    setUploadError(null);
    setImportId(null);
    setSent(0);
    try {
      const res = await api.uploadImport(feed.id, raw, (n, total) => setSent(total ? n / total : 0));
      setImportId(res.id);
      setFile(null);
      loadHistory();
    } catch (err) {
      setUploadError(err);
    } finally {
      setSent(null);
    }
  };

  const uploading = sent !== null;
  const option = (f: Feed): NonNullable<SelectProps['options']>[number] => ({
    value: f.id,
    label: `${feedTitle(f.id, t, feeds)} · ${sourceLabel(f.source, t)}`,
  });

  return (
    <>
      <PageHeader title={t('imports.title')} subtitle={t('imports.subtitle')} />
      <Card size="small" className="imports-card imports-form-card">
        <Form layout="vertical" requiredMark={false} name="import">
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Form.Item label={t('imports.feed')} extra={foreign ? t('imports.otherHint') : undefined}>
                <Select
                  value={feedId}
                  onChange={(v: string) => setFeedId(v)}
                  placeholder={t('imports.feedPlaceholder')}
                  data-testid="feed-select"
                  popupMatchSelectWidth={false}
                  options={
                    (others.length
                      ? [
                          { label: t('imports.ownFeeds'), options: mine.map(option) },
                          { label: t('imports.otherFeeds'), options: others.map(option) },
                        ]
                      : mine.map(option)) as SelectProps['options']
                  }
                  optionRender={(o) => <span className="feed-option">{o.label}</span>}
                />
              </Form.Item>
            </Col>
            <Col xs={24} lg={12}>
              {feed && (
                <Descriptions size="small" column={1} className="feed-info" data-testid="feed-info">
                  <Descriptions.Item label={t('imports.department')}>
                    {feedDepartment(feed.id, t, feeds)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.format')}>
                    {encodingText(feed, t)} · {t('imports.columnsCount', { count: feed.columns.length })}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('imports.template')}>
                    <Button
                      size="small"
                      icon={<DownloadOutlined />}
                      onClick={() => void downloadTemplate()}
                      loading={templateBusy}
                      data-testid="template-download"
                    >
                      {t('imports.downloadTemplate', { file: feed.file })}
                    </Button>
                  </Descriptions.Item>
                </Descriptions>
              )}
            </Col>
          </Row>
          <Upload.Dragger
            accept={ACCEPT}
            multiple={false}
            maxCount={1}
            fileList={file ? [file] : []}
            beforeUpload={(f) => {
              setFile({ uid: f.uid, name: f.name, size: f.size, status: 'done', originFileObj: f });
              setUploadError(null);
              return false;
            }}
            onRemove={() => setFile(null)}
            disabled={uploading}
            data-testid="import-dropzone"
            className="imports-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('imports.dropHint')}</p>
            <p className="ant-upload-hint">{t('imports.dropFormats')}</p>
          </Upload.Dragger>
          <div className="imports-actions">
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              disabled={!feed || !file}
              loading={uploading}
              onClick={() => void start()}
              data-testid="import-start"
            >
              {uploading ? t('imports.uploading') : t('imports.start')}
            </Button>
            {uploading && (
              <Progress
                percent={Math.round((sent ?? 0) * 100)}
                size="small"
                className="imports-upload-progress"
              />
            )}
          </div>
        </Form>
      </Card>
      {uploadError !== null && (
        <Alert
          type="error"
          showIcon
          className="imports-alert"
          title={t('imports.notAccepted')}
          description={problem(uploadError)}
          data-testid="upload-error"
        />
      )}
      {importId !== null && <ImportOutcome key={importId} id={importId} feeds={feeds} onDone={loadHistory} />}
      {historyError !== null && (
        <Alert type="error" showIcon className="imports-alert" title={problem(historyError)} />
      )}
      {history && (
        <History
          imports={history}
          feeds={feeds}
          onOpen={(id) => {
            setImportId(id);
            // The report opens above the history: bring it into view.
            window.requestAnimationFrame(() =>
              document.querySelector('.imports-outcome, .page-spinner')?.scrollIntoView({ block: 'start' }),
            );
          }}
          onReload={loadHistory}
          loading={historyLoading}
        />
      )}
    </>
  );
}

/** 数据导入: pick a department feed, upload its file, follow the import job, read its report. */
export default function RegistryImportsPage() {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [state, reload] = useApi(() => api.importFeeds());
  if (state.status === 'loading') return <PageSpinner />;
  if (state.status === 'error') {
    return (
      <Alert
        type="error"
        showIcon
        title={t('imports.loadFailed')}
        description={problem(state.error)}
        action={<Button onClick={reload}>{t('errors.retry')}</Button>}
      />
    );
  }
  return <ImportsPage feeds={state.data.feeds} />;
}
