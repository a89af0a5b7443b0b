import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Result,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { AuditRow, AuditVerify } from '../api/types.ts';
import { PageHeader } from '../components/page-header.tsx';
import { currentLanguage } from '../i18n/index.ts';
import { managementAreaLabel } from '../lib/area-names.ts';
import { formatDateTime, formatInt } from '../lib/format.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const PAGE = 100;

/** Actions the server writes today (the filter also offers any other action seen in the rows). */
const KNOWN_ACTIONS = [
  'auth.sign_in',
  'auth.sign_out',
  'auth.citizen_code',
  'auth.citizen_sign_in',
  'person.search',
  'person.read',
  'person.read_own',
  'person.reveal_id',
  'budget.simulate',
  'audit.read',
  'import.run',
  'user.create',
  'user.revoke_sessions',
];

const OUTCOME_COLOR: Record<string, string> = { success: 'success', denied: 'error', failure: 'warning' };

function VerifyResult({ result, onClose }: { result: AuditVerify; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Card size="small" className="audit-verify" data-testid="verify-result" data-ok={result.ok}>
      <Result
        status={result.ok ? 'success' : 'error'}
        title={
          result.ok
            ? t('audit.verifyOk', { rows: formatInt(result.rows, lang) })
            : t('audit.verifyBad', { id: result.firstBadId ?? '—' })
        }
        subTitle={
          result.ok ? (
            result.lastHash ? (
              <span>
                {t('audit.lastHash')}{' '}
                <Typography.Text code className="hash" copyable={{ text: result.lastHash }}>
                  {result.lastHash.slice(0, 16)}…
                </Typography.Text>
              </span>
            ) : null
          ) : (
            <span>
              {t('audit.verifyReason')}: {result.reason ?? '—'} ·{' '}
              {t('audit.verifyRows', { rows: result.rows })}
            </span>
          )
        }
        extra={<Button onClick={onClose}>{t('audit.close')}</Button>}
      />
    </Card>
  );
}

/** 审计日志: the hash-chained audit log, newest first, with a chain check (auditors only). */
export default function AuditPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [action, setAction] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);

  const load = useCallback(async (filter: string | undefined, beforeId?: number) => {
    setLoading(true);
    setError(null);
    try {
      const res = await api.audit({ limit: PAGE, beforeId, action: filter });
      setRows((prev) => (beforeId === undefined ? res.rows : [...prev, ...res.rows]));
      setMore(res.rows.length === PAGE);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(action);
  }, [load, action]);

  const runVerify = async () => {
    setVerifying(true);
    setVerify(null);
    setVerifyError(null);
    try {
      setVerify(await api.verifyAudit());
    } catch (err) {
      setVerifyError(err);
    } finally {
      setVerifying(false);
    }
  };

  const actionOptions = useMemo(() => {
    const all = new Set([...KNOWN_ACTIONS, ...rows.map((r) => r.action)]);
    return [...all].sort().map((a) => ({
      value: a,
      label: `${t(`audit.actions.${a}`, { defaultValue: a })} (${a})`,
    }));
  }, [rows, t]);

  const columns: TableColumnsType<AuditRow> = [
    { key: 'id', title: t('audit.id'), dataIndex: 'id', width: 64, fixed: 'left' },
    {
      key: 'time',
      title: t('audit.time'),
      width: 160,
      render: (_: unknown, r) => <span className="nowrap">{formatDateTime(r.occurredAt)}</span>,
    },
    {
      key: 'actor',
      title: t('audit.actor'),
      width: 180,
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <Tag>{r.actorRole ? t(`roles.${r.actorRole}`, { defaultValue: r.actorRole }) : '—'}</Tag>
          {r.actorId !== null && <span>#{r.actorId}</span>}
          {r.actorArea && (
            <Typography.Text type="secondary">
              {managementAreaLabel(r.actorArea, lang) ?? r.actorArea}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      key: 'action',
      title: t('audit.action'),
      width: 190,
      render: (_: unknown, r) => (
        <span className="audit-action">
          {t(`audit.actions.${r.action}`, { defaultValue: r.action })}
          <Typography.Text type="secondary" className="audit-code">
            {r.action}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'subject',
      title: t('audit.subject'),
      width: 120,
      render: (_: unknown, r) =>
        r.subjectType
          ? `${t(`audit.subjects.${r.subjectType}`, { defaultValue: r.subjectType })} #${r.subjectId ?? '—'}`
          : '—',
    },
    {
      key: 'outcome',
      title: t('audit.outcome'),
      width: 90,
      render: (_: unknown, r) => (
        <Tag color={OUTCOME_COLOR[r.outcome] ?? 'default'}>
          {t(`audit.outcomes.${r.outcome}`, { defaultValue: r.outcome })}
        </Tag>
      ),
    },
    {
      key: 'request',
      title: t('audit.requestId'),
      width: 120,
      render: (_: unknown, r) =>
        r.requestId ? (
          <Typography.Text className="mono" copyable={{ text: r.requestId }}>
            {r.requestId.slice(0, 8)}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      key: 'hash',
      title: t('audit.hash'),
      width: 150,
      render: (_: unknown, r) => (
        <Typography.Text className="mono" copyable={{ text: r.hash }}>
          {r.hash.slice(0, 12)}…
        </Typography.Text>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')}>
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          onClick={() => void runVerify()}
          loading={verifying}
          data-testid="verify-chain"
        >
          {t('audit.verify')}
        </Button>
      </PageHeader>
      {verify && <VerifyResult result={verify} onClose={() => setVerify(null)} />}
      {verifyError !== null && (
        <Alert
          type="error"
          showIcon
          className="audit-alert"
          title={t('audit.verifyFailed')}
          description={problem(verifyError)}
        />
      )}
      <Card size="small" className="audit-card" styles={{ body: { padding: 0 } }}>
        <div className="audit-toolbar">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.filterAction')}
            value={action}
            onChange={(v: string | undefined) => setAction(v ?? undefined)}
            options={actionOptions}
            className="audit-filter"
            data-testid="audit-action"
            popupMatchSelectWidth={false}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void load(action)} data-testid="audit-reload">
            {t('audit.reload')}
          </Button>
          <Typography.Text type="secondary">{t('audit.shown', { count: rows.length })}</Typography.Text>
        </div>
        {error !== null && (
          <Alert
            type="error"
            showIcon
            className="audit-alert"
            title={t('audit.loadFailed')}
            description={problem(error)}
          />
        )}
        <Table<AuditRow>
          size="small"
          rowKey="id"
          data-testid="audit-table"
          columns={columns}
          dataSource={rows}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('audit.empty') }}
        />
        <div className="audit-more">
          {more ? (
            <Button
              onClick={() => void load(action, rows[rows.length - 1]?.id)}
              loading={loading}
              data-testid="audit-older"
            >
              {t('audit.loadOlder')}
            </Button>
          ) : (
            rows.length > 0 && <Typography.Text type="secondary">{t('audit.end')}</Typography.Text>
          )}
        </div>
      </Card>
    </>
  );
}
