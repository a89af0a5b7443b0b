import { ArrowLeftOutlined, HomeOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import type { FieldSource, PersonPage } from '../api/types.ts';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage, type Language } from '../i18n/index.ts';
import {
  areaLabel,
  feedTitle,
  fieldValue,
  placeLabel,
  recordTime,
  sexLabel,
  sourceLabel,
} from '../lib/registry.ts';
import { useApi } from '../lib/use-api.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const SOURCE_COLOR: Record<string, string> = {
  police: 'blue',
  health: 'green',
  'medical-insurance': 'cyan',
  'social-security': 'purple',
  'civil-affairs': 'magenta',
  education: 'orange',
  'housing-fund': 'gold',
};

const EVENT_COLOR: Record<string, string> = {
  birth: 'green',
  death: 'gray',
  marriage: 'red',
  move: 'blue',
  'special-family': 'orange',
};

/** Which fields are shown, in this order (mother/father ids are shown as relatives). */
const FIELD_ORDER = [
  'name',
  'sex',
  'birth_date',
  'ethnicity',
  'marital_status',
  'street_code',
  'address',
  'hukou_area_code',
  'phone',
  'household_no',
  'household_relation',
  'residence_status',
  'death_date',
];

function SourceTag({ source, t }: { source: FieldSource | null; t: TFunction }) {
  if (!source) return <Tag className="source-tag">{t('person.noSource')}</Tag>;
  return (
    <Tooltip
      title={
        <div className="source-tip">
          <div>{feedTitle(source.feed, t)}</div>
          <div>
            {t('person.record')}: <span className="mono">{source.recordId}</span>
          </div>
          <div>
            {t('person.recordTime')}: {recordTime(source.updatedAt)}
          </div>
          <div>{t('person.importNo', { id: source.importId })}</div>
        </div>
      }
    >
      <Tag
        color={SOURCE_COLOR[source.source] ?? 'default'}
        className="source-tag"
        data-testid="field-source"
        data-source={source.source}
        tabIndex={0}
      >
        {sourceLabel(source.source, t)} · {recordTime(source.updatedAt).slice(0, 10)}
      </Tag>
    </Tooltip>
  );
}

function detailText(key: string, value: string | null, t: TFunction, lang: Language): string {
  if (value === null || value === '') return '';
  const label = t(`person.detail.${key}`, { defaultValue: key });
  const v =
    key.endsWith('Street') || key === 'streetCode'
      ? placeLabel(value, lang)
      : key.endsWith('County') || key === 'officeCounty'
        ? areaLabel(value, lang)
        : value;
  return `${label}: ${v}`;
}

function PersonRecord({ data }: { data: PersonPage }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const navigate = useNavigate();
  const p = data.person;
  const byField = new Map(data.fields.map((f) => [f.field, f]));
  const openConflicts = data.conflicts.filter((c) => c.status === 'open');
  const events = [...data.events].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const dead = p.deathDate !== null || p.residenceStatus === 'dead';

  const relativeColumns: TableColumnsType<PersonPage['relatives'][number]> = [
    {
      key: 'name',
      title: t('search.name'),
      width: 100,
      render: (_: unknown, r) => (
        <Link to={`/registry/persons/${r.id}`} data-testid="relative-link">
          {r.name}
        </Link>
      ),
    },
    {
      key: 'relation',
      title: t('person.relation'),
      width: 90,
      render: (_: unknown, r) => t(`person.relations.${r.relation}`, { defaultValue: r.relation }),
    },
    {
      key: 'hh',
      title: t('person.householdRelation'),
      width: 100,
      render: (_: unknown, r) => fieldValue('household_relation', r.householdRelation, t, lang),
    },
    { key: 'birth', title: t('search.birthDate'), dataIndex: 'birthDate', width: 110 },
    {
      key: 'id',
      title: t('search.idNumber'),
      width: 180,
      render: (_: unknown, r) => <span className="mono">{r.idNumberMasked}</span>,
    },
  ];

  const conflictColumns: TableColumnsType<PersonPage['conflicts'][number]> = [
    {
      key: 'field',
      title: t('person.field'),
      width: 100,
      render: (_: unknown, c) => t(`registry.fields.${c.field}`, { defaultValue: c.field }),
    },
    {
      key: 'current',
      title: t('person.currentValue'),
      width: 170,
      render: (_: unknown, c) => (
        <span>
          {fieldValue(c.field, c.currentValue, t, lang)}{' '}
          {c.currentSource && (
            <Tag color={SOURCE_COLOR[c.currentSource]}>{sourceLabel(c.currentSource, t)}</Tag>
          )}
        </span>
      ),
    },
    {
      key: 'offered',
      title: t('person.offeredValue'),
      width: 170,
      render: (_: unknown, c) => (
        <span>
          {fieldValue(c.field, c.offeredValue, t, lang)}{' '}
          <Tag color={SOURCE_COLOR[c.source]}>{sourceLabel(c.source, t)}</Tag>
        </span>
      ),
    },
    {
      key: 'record',
      title: t('person.record'),
      width: 200,
      render: (_: unknown, c) => (
        <Tooltip title={feedTitle(c.feed, t)}>
          <span className="mono">{c.recordId}</span>
        </Tooltip>
      ),
    },
  ];

  const recordColumns: TableColumnsType<PersonPage['records'][number]> = [
    {
      key: 'source',
      title: t('person.source'),
      width: 90,
      render: (_: unknown, r) => <Tag color={SOURCE_COLOR[r.source]}>{sourceLabel(r.source, t)}</Tag>,
    },
    { key: 'feed', title: t('imports.feed'), width: 200, render: (_: unknown, r) => feedTitle(r.feed, t) },
    {
      key: 'record',
      title: t('person.record'),
      width: 200,
      render: (_: unknown, r) => <span className="mono">{r.recordId}</span>,
    },
    {
      key: 'time',
      title: t('person.recordTime'),
      width: 160,
      render: (_: unknown, r) => <span className="nowrap">{recordTime(r.updatedAt)}</span>,
    },
    {
      key: 'link',
      title: t('person.linkMethod'),
      width: 110,
      render: (_: unknown, r) =>
        r.linkMethod ? t(`person.linkMethods.${r.linkMethod}`, { defaultValue: r.linkMethod }) : '—',
    },
  ];

  const historyColumns: TableColumnsType<PersonPage['history'][number]> = [
    {
      key: 'time',
      title: t('person.recordTime'),
      width: 160,
      render: (_: unknown, h) => <span className="nowrap">{recordTime(h.recordUpdatedAt)}</span>,
    },
    {
      key: 'field',
      title: t('person.field'),
      width: 100,
      render: (_: unknown, h) => t(`registry.fields.${h.field}`, { defaultValue: h.field }),
    },
    {
      key: 'change',
      title: t('person.change'),
      width: 240,
      render: (_: unknown, h) =>
        `${fieldValue(h.field, h.oldValue, t, lang)} → ${fieldValue(h.field, h.newValue, t, lang)}`,
    },
    {
      key: 'source',
      title: t('person.source'),
      width: 90,
      render: (_: unknown, h) => <Tag color={SOURCE_COLOR[h.source]}>{sourceLabel(h.source, t)}</Tag>,
    },
  ];

  return (
    <div className="person-record" data-testid="person-record">
      <div className="page-header">
        <div>
          <Button
            type="link"
            icon={<ArrowLeftOutlined />}
            className="person-back"
            onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/registry/search'))}
          >
            {t('person.back')}
          </Button>
          <Typography.Title level={1} style={{ fontSize: 22 }} data-testid="person-name">
            {p.name}
          </Typography.Title>
          <Space wrap size={[8, 4]}>
            <span className="mono" data-testid="person-id-masked">
              {p.idNumberMasked}
            </span>
            <Tag>{sexLabel(p.sex, t)}</Tag>
            <Tag>{p.birthDate}</Tag>
            <Tag color="geekblue">{areaLabel(p.areaCode, currentLanguage())}</Tag>
            {dead ? (
              <Tag>{t('search.deceased')}</Tag>
            ) : p.residenceStatus === 'moved-out' ? (
              <Tag color="orange">{t('registry.residence.moved-out')}</Tag>
            ) : (
              <Tag color="green">{t('search.alive')}</Tag>
            )}
            {openConflicts.length > 0 && (
              <Tag color="red" icon={<WarningOutlined />}>
                {t('person.conflictCount', { count: openConflicts.length })}
              </Tag>
            )}
          </Space>
        </div>
      </div>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('person.fields')} className="person-card">
            <Typography.Paragraph type="secondary" className="person-note">
              {t('person.fieldsNote')}
            </Typography.Paragraph>
            <Descriptions
              column={1}
              size="small"
              bordered
              className="person-fields"
              data-testid="person-fields"
            >
              {FIELD_ORDER.filter((f) => byField.has(f)).map((f) => {
                const row = byField.get(f);
                if (!row) return null;
                return (
                  <Descriptions.Item key={f} label={t(`registry.fields.${f}`, { defaultValue: f })}>
                    <div className="field-row" data-testid={`field-${f}`}>
                      <span className={f === 'phone' ? 'mono field-value' : 'field-value'}>
                        {fieldValue(f, row.value, t, lang)}
                      </span>
                      {row.value !== null && <SourceTag source={row.source} t={t} />}
                    </div>
                  </Descriptions.Item>
                );
              })}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={
              <span>
                <HomeOutlined /> {t('person.household')}
              </span>
            }
            className="person-card"
            data-testid="person-household"
          >
            <Typography.Paragraph className="person-note">
              {t('person.householdNo')}: <span className="mono">{p.householdNo ?? '—'}</span>
            </Typography.Paragraph>
            {data.relatives.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('person.noRelatives')} />
            ) : (
              <Table
                size="small"
                rowKey={(r) => `${r.relation}|${r.id}`}
                columns={relativeColumns}
                dataSource={data.relatives}
                pagination={false}
                scroll={{ x: 'max-content' }}
              />
            )}
          </Card>
          <Card size="small" title={t('person.events')} className="person-card" data-testid="person-events">
            {events.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('person.noEvents')} />
            ) : (
              <Timeline
                items={events.map((e, i) => ({
                  key: `${e.feed}|${e.recordId}|${e.kind}|${i}`,
                  color: EVENT_COLOR[e.kind] ?? 'blue',
                  title: (
                    <span className="event-head">
                      <strong>{t(`person.eventKinds.${e.kind}`, { defaultValue: e.kind })}</strong>
                      <span className="event-date">{e.date ?? '—'}</span>
                      {e.role === 'related' && <Tag>{t('person.relatedEvent')}</Tag>}
                    </span>
                  ),
                  content: (
                    <div className="event-body">
                      <div className="event-details">
                        {Object.entries(e.details)
                          .filter(([k]) => k !== 'registration')
                          .map(([k, v]) => detailText(k, v, t, lang))
                          .filter(Boolean)
                          .join(' · ')}
                      </div>
                      <Typography.Text type="secondary" className="event-source">
                        {feedTitle(e.feed, t)} · <span className="mono">{e.recordId}</span>
                      </Typography.Text>
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('person.conflicts')}
        className="person-card"
        data-testid="person-conflicts"
        styles={{ body: openConflicts.length ? { padding: 0 } : undefined }}
      >
        {openConflicts.length === 0 ? (
          <Typography.Text type="secondary">{t('person.noConflicts')}</Typography.Text>
        ) : (
          <Table
            size="small"
            rowKey="id"
            columns={conflictColumns}
            dataSource={openConflicts}
            pagination={false}
            scroll={{ x: 'max-content' }}
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('person.records')}
        className="person-card"
        data-testid="person-records"
        styles={{ body: { padding: 0 } }}
      >
        <Table
          size="small"
          rowKey={(r) => `${r.feed}|${r.recordId}`}
          columns={recordColumns}
          dataSource={data.records}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {data.history.length > 0 && (
        <Card
          size="small"
          title={t('person.history')}
          className="person-card"
          styles={{ body: { padding: 0 } }}
        >
          <Table
            size="small"
            rowKey={(h) => `${h.field}|${h.recordId}|${h.changedAt}`}
            columns={historyColumns}
            dataSource={data.history}
            pagination={data.history.length > 10 ? { pageSize: 10, size: 'small' } : false}
            scroll={{ x: 'max-content' }}
          />
        </Card>
      )}
    </div>
  );
}

function PersonLoader({ personId }: { personId: number }) {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [state, reload] = useApi(() => api.registryPerson(personId));
  if (state.status === 'loading') return <PageSpinner />;
  if (state.status === 'error') {
    return (
      <Alert
        type="error"
        showIcon
        title={t('person.loadFailed')}
        description={problem(state.error)}
        action={<Button onClick={reload}>{t('errors.retry')}</Button>}
        data-testid="person-error"
      />
    );
  }
  return <PersonRecord data={state.data} />;
}

/** 人员档案: the fused record of one person, each field with its source; audited on the server. */
export default function RegistryPersonPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const personId = Number(id);
  if (!Number.isInteger(personId) || personId < 1) {
    return <Alert type="error" showIcon title={t('errors.notFound')} />;
  }
  // A new loader per id: following a relative's link reloads.
  return <PersonLoader key={personId} personId={personId} />;
}
