import { EyeOutlined, LockOutlined, ProfileOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Grid,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError, api } from '../api/client.ts';
import type { PersonSearch, RegistryPerson } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage } from '../i18n/index.ts';
import { managementAreaLabel, managementAreas } from '../lib/area-names.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const LIMIT = 50;
/** How long a revealed ID number stays on screen. */
const REVEAL_SECONDS = 30;

type SearchValues = { name?: string; idNumber?: string; areaCode?: string };

function useAreaLabel() {
  const lang = currentLanguage();
  return (code: string | null) => (code ? (managementAreaLabel(code, lang) ?? code) : '—');
}

function SexText({ sex }: { sex: string }) {
  const { t } = useTranslation();
  if (sex === 'female') return <>{t('citizen.sexFemale')}</>;
  if (sex === 'male') return <>{t('citizen.sexMale')}</>;
  return <>{sex}</>;
}

/** Asks for a reason, reveals the full number, shows it for 30 seconds, then forgets it. */
function RevealIdNumber({ person }: { person: RegistryPerson }) {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [revealed, setRevealed] = useState<{ idNumber: string; until: number } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [form] = Form.useForm<{ reason: string }>();

  // One timer hides the number at the deadline; a second only updates the countdown.
  useEffect(() => {
    if (!revealed) return;
    const hide = window.setTimeout(() => setRevealed(null), Math.max(0, revealed.until - Date.now()));
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      window.clearTimeout(hide);
      window.clearInterval(tick);
    };
  }, [revealed]);
  const left = revealed ? Math.max(0, Math.ceil((revealed.until - now) / 1000)) : 0;

  const submit = async () => {
    let reason: string;
    try {
      ({ reason } = await form.validateFields());
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api.revealIdNumber(person.id, reason.trim());
      const start = Date.now();
      setNow(start);
      setRevealed({ idNumber: res.idNumber, until: start + REVEAL_SECONDS * 1000 });
      setOpen(false);
      form.resetFields();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="reveal">
      {revealed ? (
        <Alert
          type="warning"
          showIcon
          icon={<EyeOutlined />}
          data-testid="revealed"
          title={
            <span className="revealed-number mono" data-testid="revealed-number">
              {revealed.idNumber}
            </span>
          }
          description={
            <div className="revealed-foot">
              <span>{t('search.revealShownFor', { seconds: left })}</span>
              <Button size="small" onClick={() => setRevealed(null)} data-testid="reveal-hide">
                {t('search.revealHide')}
              </Button>
            </div>
          }
        />
      ) : (
        <Button icon={<LockOutlined />} onClick={() => setOpen(true)} data-testid="reveal">
          {t('search.reveal')}
        </Button>
      )}
      <Modal
        open={open}
        title={t('search.revealTitle')}
        okText={t('search.revealConfirm')}
        cancelText={t('search.cancel')}
        onOk={() => void submit()}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'reveal-confirm' } as Record<string, string>}
        destroyOnHidden
      >
        <Alert type="info" showIcon className="reveal-notice" title={t('search.revealAudited')} />
        {error !== null && <Alert type="error" showIcon className="reveal-notice" title={problem(error)} />}
        <Form form={form} layout="vertical" name="reveal" requiredMark={false}>
          <Form.Item
            name="reason"
            label={t('search.revealReason')}
            rules={[
              { required: true, whitespace: true, message: t('search.revealReasonRequired') },
              {
                validator: (_, v: string | undefined) =>
                  (v ?? '').trim().length >= 4
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('search.revealReasonRequired'))),
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="reveal-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

function PersonDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const problem = useProblemMessage();
  const areaLabel = useAreaLabel();
  const screens = Grid.useBreakpoint();
  const [person, setPerson] = useState<RegistryPerson | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canReveal = user?.permissions.includes('person.reveal') ?? false;

  useEffect(() => {
    if (id === null) return;
    let live = true;
    setPerson(null);
    setError(null);
    api.person(id).then(
      (r) => live && setPerson(r.person),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [id]);

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      title={person?.name ?? t('search.detail')}
      size={screens.sm ? 480 : '100%'}
      destroyOnHidden
      data-testid="person-drawer"
      className="person-drawer"
    >
      {error !== null && <Alert type="error" showIcon title={problem(error)} />}
      {error === null && !person && <PageSpinner />}
      {person && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered data-testid="person-detail">
            <Descriptions.Item label={t('search.name')}>{person.name}</Descriptions.Item>
            <Descriptions.Item label={t('search.idNumber')}>
              <span className="mono" data-testid="detail-id-masked">
                {person.idNumberMasked}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('search.sex')}>
              <SexText sex={person.sex} />
            </Descriptions.Item>
            <Descriptions.Item label={t('search.birthDate')}>{person.birthDate}</Descriptions.Item>
            <Descriptions.Item label={t('search.area')}>{areaLabel(person.areaCode)}</Descriptions.Item>
            <Descriptions.Item label={t('search.street')}>{person.streetCode ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('search.hukou')}>{areaLabel(person.hukouAreaCode)}</Descriptions.Item>
            <Descriptions.Item label={t('search.phone')}>
              <span className="mono">{person.phoneMasked ?? '—'}</span>
            </Descriptions.Item>
            {person.deathDate && (
              <Descriptions.Item label={t('search.deathDate')}>{person.deathDate}</Descriptions.Item>
            )}
          </Descriptions>
          <Link to={`/registry/persons/${person.id}`} data-testid="open-record">
            <Button type="primary" ghost icon={<ProfileOutlined />} block>
              {t('search.openRecord')}
            </Button>
          </Link>
          {canReveal ? (
            <RevealIdNumber key={person.id} person={person} />
          ) : (
            <Typography.Text type="secondary">{t('search.maskedOnly')}</Typography.Text>
          )}
        </Space>
      )}
    </Drawer>
  );
}

/** 人员查询: search the registry within one's own scope; numbers masked, reveals audited. */
export default function PersonSearchPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const problem = useProblemMessage();
  const areaLabel = useAreaLabel();
  const lang = currentLanguage();
  const [form] = Form.useForm<SearchValues>();
  const [persons, setPersons] = useState<RegistryPerson[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const cityWide = user?.role === 'city_admin';

  const search = async (v: SearchValues) => {
    const q: PersonSearch = { limit: LIMIT };
    if (v.name?.trim()) q.name = v.name.trim();
    // One field takes a full ID number or the masked form shown elsewhere (5301**********123X).
    const id = v.idNumber?.trim().toUpperCase();
    if (id) {
      if (id.includes('*')) q.idNumberMasked = id;
      else q.idNumber = id;
    }
    if (v.areaCode) q.areaCode = v.areaCode;
    if (!q.name && !q.idNumber && !q.idNumberMasked && !q.areaCode) {
      form.setFields([{ name: 'name', errors: [t('search.needCriterion')] }]);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api.searchPersons(q);
      setPersons(res.persons);
    } catch (err) {
      setError(err);
      setPersons(null);
      // Field-level reasons (a malformed ID number) go onto their fields.
      const issues = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      const fields = issues
        .filter((i) => ['/name', '/idNumber', '/idNumberMasked', '/areaCode'].includes(i.path))
        .map((i) => ({
          name: (i.path === '/idNumberMasked' ? 'idNumber' : i.path.slice(1)) as keyof SearchValues,
          errors: [i.message?.[lang] ?? i.message?.['zh-CN'] ?? i.code],
        }));
      if (fields.length) form.setFields(fields);
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<RegistryPerson> = [
    {
      key: 'name',
      title: t('search.name'),
      width: 110,
      fixed: 'left',
      render: (_: unknown, p) => (
        <Button type="link" className="person-link" onClick={() => setOpenId(p.id)} data-testid="person-open">
          {p.name}
        </Button>
      ),
    },
    { key: 'sex', title: t('search.sex'), width: 60, render: (_: unknown, p) => <SexText sex={p.sex} /> },
    { key: 'birth', title: t('search.birthDate'), dataIndex: 'birthDate', width: 110 },
    {
      key: 'id',
      title: t('search.idNumber'),
      width: 190,
      render: (_: unknown, p) => <span className="mono">{p.idNumberMasked}</span>,
    },
    {
      key: 'area',
      title: t('search.area'),
      width: 100,
      render: (_: unknown, p) => (
        <span data-testid="person-area" data-code={p.areaCode}>
          {areaLabel(p.areaCode)}
        </span>
      ),
    },
    {
      key: 'phone',
      title: t('search.phone'),
      width: 120,
      render: (_: unknown, p) => <span className="mono">{p.phoneMasked ?? '—'}</span>,
    },
    {
      key: 'status',
      title: t('search.status'),
      width: 90,
      render: (_: unknown, p) =>
        p.deathDate ? <Tag>{t('search.deceased')}</Tag> : <Tag color="green">{t('search.alive')}</Tag>,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('search.title')}
        subtitle={t('search.subtitle', { scope: user?.areaName ?? t('header.cityWide') })}
      />
      <Card size="small" className="search-card">
        <Form<SearchValues>
          form={form}
          layout="vertical"
          name="person-search"
          onFinish={search}
          requiredMark={false}
        >
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={cityWide ? 7 : 9}>
              <Form.Item name="name" label={t('search.namePrefix')} extra={t('search.namePrefixHelp')}>
                <Input maxLength={32} allowClear autoComplete="off" data-testid="search-name" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={cityWide ? 7 : 9}>
              <Form.Item
                name="idNumber"
                label={t('search.idNumber')}
                rules={[
                  {
                    pattern: /^(\d{15}|\d{17}[\dXx]|\d{4}\*{10}\d{3}[\dXx])$/,
                    message: t('search.idNumberInvalid'),
                  },
                ]}
              >
                <Input
                  maxLength={18}
                  allowClear
                  autoComplete="off"
                  placeholder={t('search.idNumberHint')}
                  data-testid="search-id"
                />
              </Form.Item>
            </Col>
            {cityWide && (
              <Col xs={24} sm={12} lg={6}>
                <Form.Item name="areaCode" label={t('search.area')}>
                  <Select
                    allowClear
                    placeholder={t('search.allAreas')}
                    options={managementAreas.map((a) => ({ value: a.code, label: areaLabel(a.code) }))}
                    data-testid="search-area"
                  />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} sm={12} lg={cityWide ? 4 : 6} className="search-submit-col">
              <Form.Item label={<span aria-hidden>&nbsp;</span>} className="search-submit-item">
                <Button
                  type="primary"
                  htmlType="submit"
                  icon={<SearchOutlined />}
                  loading={busy}
                  block
                  data-testid="search-submit"
                >
                  {t('search.submit')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
        <Typography.Text type="secondary" className="search-privacy">
          {t('search.privacy')}
        </Typography.Text>
      </Card>
      {error !== null && <Alert type="error" showIcon className="search-alert" title={problem(error)} />}
      {persons && (
        <Card
          size="small"
          title={t('search.results', { count: persons.length })}
          styles={{ body: { padding: 0 } }}
        >
          <Table<RegistryPerson>
            size="small"
            rowKey="id"
            data-testid="search-results"
            columns={columns}
            dataSource={persons}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('search.none') }}
          />
          {persons.length === LIMIT && (
            <Typography.Paragraph type="secondary" className="search-limit">
              {t('search.limitReached', { limit: LIMIT })}
            </Typography.Paragraph>
          )}
        </Card>
      )}
      <PersonDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
