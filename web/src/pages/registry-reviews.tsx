import { CheckOutlined, CloseOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Collapse, Empty, Progress, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api/client.ts';
import type { Feed, ReviewItem } from '../api/types.ts';
import { PageHeader } from '../components/page-header.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage, type Language } from '../i18n/index.ts';
import { areaLabel, feedTitle, formatDateTime, placeLabel, sexLabel, sourceLabel } from '../lib/registry.ts';
import { useApi } from '../lib/use-api.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

type Getter = (r: Record<string, string | null>) => string | null;
const first =
  (...keys: string[]): Getter =>
  (r) => {
    for (const k of keys) {
      const v = r[k];
      if (v !== undefined && v !== null && v !== '') return v;
    }
    return null;
  };

/** The comparable fields of an incoming record (feeds name their columns differently). */
const RECORD = {
  name: first('name', 'childName', 'motherName'),
  sex: first('sex', 'childSex'),
  birthDate: first('birthDate'),
  idNumber: first('idNumber', 'childIdNumber', 'motherIdNumber'),
  street: first('streetCode', 'hukouStreet'),
  phone: first('phone', 'guardianPhone'),
};

function scoreColor(score: number): string {
  return score >= 80 ? '#52c41a' : score >= 60 ? '#fa8c16' : '#f5222d';
}

function Compare({ item, t, lang }: { item: ReviewItem; t: TFunction; lang: Language }) {
  const r = item.record;
  const c = item.candidate;
  const reasons = new Set(item.reasons);
  const rows: { key: string; label: string; incoming: string; candidate: string; match: boolean }[] = [
    {
      key: 'name',
      label: t('search.name'),
      incoming: RECORD.name(r) ?? '—',
      candidate: c.name,
      match: reasons.has('name.exact') || reasons.has('name.sound') || reasons.has('name.similar'),
    },
    {
      key: 'birth',
      label: t('search.birthDate'),
      incoming: RECORD.birthDate(r) ?? '—',
      candidate: c.birthDate,
      match: reasons.has('birthDate'),
    },
    {
      key: 'sex',
      label: t('search.sex'),
      incoming: sexLabel(RECORD.sex(r), t),
      candidate: reasons.has('sex') ? sexLabel(RECORD.sex(r), t) : '—',
      match: reasons.has('sex'),
    },
    {
      key: 'id',
      label: t('search.idNumber'),
      incoming: RECORD.idNumber(r) ?? t('reviews.noIdNumber'),
      candidate: c.idNumberMasked,
      match: false,
    },
    {
      key: 'street',
      label: t('registry.fields.street_code'),
      incoming: placeLabel(RECORD.street(r), lang),
      candidate: placeLabel(c.streetCode, lang),
      match: reasons.has('street') || reasons.has('address'),
    },
    {
      key: 'phone',
      label: t('search.phone'),
      incoming: RECORD.phone(r) ?? '—',
      candidate: '—',
      match: false,
    },
  ];
  return (
    <table className="review-compare" data-testid="review-compare">
      <thead>
        <tr>
          <th className="rc rc-head rc-label" aria-hidden />
          <th className="rc rc-head">{t('reviews.incoming')}</th>
          <th className="rc rc-head">{t('reviews.candidate')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.match ? 'is-match' : undefined}>
            <th scope="row" className="rc rc-label">
              {row.label}
            </th>
            <td
              className={`rc rc-value${(row.key === 'id' && RECORD.idNumber(r)) || row.key === 'phone' ? ' mono' : ''}`}
            >
              {row.incoming}
            </td>
            <td className={`rc rc-value${row.key === 'id' ? ' mono' : ''}`}>
              {row.key === 'name' ? (
                <Link to={`/registry/persons/${c.id}`} data-testid="review-candidate-link">
                  {row.candidate}
                </Link>
              ) : (
                row.candidate
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReviewCard({
  item,
  feeds,
  onDecided,
}: {
  item: ReviewItem;
  feeds: Feed[];
  onDecided: (id: number, decision: 'same' | 'different', fieldsChanged: number) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const [busy, setBusy] = useState<'same' | 'different' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const feed = feeds.find((f) => f.id === item.feed);
  const headerOf = (key: string) => {
    const c = feed?.columns.find((x) => x.key === key);
    return c ? (lang === 'en' ? `${c.header} (${key})` : c.header) : key;
  };

  const decide = async (decision: 'same' | 'different') => {
    setBusy(decision);
    setError(null);
    try {
      const res = await api.decideReview(item.id, decision);
      onDecided(item.id, decision, res.fieldsChanged);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  return (
    <Card
      size="small"
      className="review-card"
      data-testid="review-item"
      data-id={item.id}
      title={
        <span className="review-title">
          <Tag>{sourceLabel(item.source, t)}</Tag>
          {feedTitle(item.feed, t, feeds)}
        </span>
      }
      extra={<Typography.Text type="secondary">{formatDateTime(item.createdAt, lang)}</Typography.Text>}
    >
      <div className="review-body">
        <div className="review-score" data-testid="review-score">
          <Progress
            type="circle"
            size={64}
            percent={item.score}
            format={(v) => `${v}`}
            strokeColor={scoreColor(item.score)}
          />
          <div>
            <Typography.Text strong>{t('reviews.score', { score: item.score })}</Typography.Text>
            <div className="review-reasons">
              {item.reasons.map((r) => (
                <Tag key={r} color="blue">
                  {t(`reviews.reasons.${r}`, { defaultValue: r })}
                </Tag>
              ))}
            </div>
            <Typography.Text type="secondary" className="review-area">
              {areaLabel(item.areaCode, lang)} · <span className="mono">{item.recordId}</span>
            </Typography.Text>
          </div>
        </div>
        <Compare item={item} t={t} lang={lang} />
      </div>
      <Collapse
        size="small"
        ghost
        className="review-more"
        items={[
          {
            key: 'all',
            label: t('reviews.allFields'),
            children: (
              <dl className="review-fields">
                {Object.entries(item.record).map(([k, v]) => (
                  <div key={k}>
                    <dt>{headerOf(k)}</dt>
                    <dd className="mono">{v ?? '—'}</dd>
                  </div>
                ))}
              </dl>
            ),
          },
        ]}
      />
      {error !== null && <Alert type="error" showIcon title={problem(error)} className="review-error" />}
      <Space wrap className="review-actions">
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy === 'same'}
          disabled={busy !== null}
          onClick={() => void decide('same')}
          data-testid="review-same"
        >
          {t('reviews.same')}
        </Button>
        <Button
          danger
          icon={<CloseOutlined />}
          loading={busy === 'different'}
          disabled={busy !== null}
          onClick={() => void decide('different')}
          data-testid="review-different"
        >
          {t('reviews.different')}
        </Button>
        <Typography.Text type="secondary">{t('reviews.remembered')}</Typography.Text>
      </Space>
    </Card>
  );
}

function ReviewQueue({
  items: initial,
  feeds,
  reload,
}: {
  items: ReviewItem[];
  feeds: Feed[];
  reload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [items, setItems] = useState(initial);
  return (
    <>
      <PageHeader title={t('reviews.title')} subtitle={t('reviews.subtitle')}>
        <Button icon={<ReloadOutlined />} onClick={reload} data-testid="reviews-reload">
          {t('audit.reload')}
        </Button>
      </PageHeader>
      <Typography.Paragraph type="secondary" data-testid="reviews-count">
        {t('reviews.count', { count: items.length })}
      </Typography.Paragraph>
      {items.length === 0 ? (
        <Card size="small">
          <Empty description={t('reviews.empty')} data-testid="reviews-empty" />
        </Card>
      ) : (
        <div className="review-list" data-testid="review-list">
          {items.map((item) => (
            <ReviewCard
              key={item.id}
              item={item}
              feeds={feeds}
              onDecided={(id, decision, fieldsChanged) => {
                setItems((xs) => xs.filter((x) => x.id !== id));
                void message.success(
                  decision === 'same'
                    ? t('reviews.decidedSame', { count: fieldsChanged })
                    : t('reviews.decidedDifferent'),
                );
              }}
            />
          ))}
        </div>
      )}
    </>
  );
}

/** 待核对: records that look like a registered person; staff decide same or different. */
export default function RegistryReviewsPage() {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  const [state, reload] = useApi(() =>
    Promise.all([api.reviews(100), api.importFeeds().catch(() => ({ feeds: [] as Feed[] }))]),
  );
  if (state.status === 'loading') return <PageSpinner />;
  if (state.status === 'error') {
    return (
      <Alert
        type="error"
        showIcon
        title={t('reviews.loadFailed')}
        description={problem(state.error)}
        action={<Button onClick={reload}>{t('errors.retry')}</Button>}
      />
    );
  }
  const [{ items }, { feeds }] = state.data;
  return <ReviewQueue key={items.map((i) => i.id).join(',')} items={items} feeds={feeds} reload={reload} />;
}
