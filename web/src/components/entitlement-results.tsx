import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Space, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Entitlement, EntitlementInput, EntitlementsResult } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import { formatYuan } from '../lib/format.ts';

/** Cash paid to the family (fen): what the summary and the timeline add up. */
export const CASH_IDS = [
  'one_time_birth_subsidy',
  'local_childcare_allowance',
  'national_childcare_subsidy',
  'infant_accident_insurance_subsidy',
] as const;
const ONE_TIME_IDS = new Set(['one_time_birth_subsidy', 'housing_purchase_support']);
const YEARLY_CASH_IDS = new Set([
  'local_childcare_allowance',
  'national_childcare_subsidy',
  'infant_accident_insurance_subsidy',
]);

type Period = 'oneTime' | 'year' | 'month' | 'perBirth' | 'perDay' | 'yearDays' | 'none';
const PERIOD: Record<string, Period> = {
  one_time_birth_subsidy: 'oneTime',
  local_childcare_allowance: 'year',
  national_childcare_subsidy: 'year',
  infant_accident_insurance_subsidy: 'year',
  maternity_leave: 'perBirth',
  paternity_leave: 'perBirth',
  parental_leave: 'yearDays',
  nursing_time: 'perDay',
  elder_care_leave: 'yearDays',
  iit_infant_care_deduction: 'month',
  housing_purchase_support: 'oneTime',
};

export function entitlementName(id: string, t: TFunction): string {
  return t(`ent.${id}`, { defaultValue: id });
}

function valueText(e: Entitlement, t: TFunction, lang: Language): string | null {
  if (e.amountFen !== undefined) return formatYuan(e.amountFen, lang);
  if (e.days !== undefined) return t('calc.days', { count: e.days });
  if (e.minutesPerDay !== undefined) return t('calc.minutesPerDay', { count: e.minutesPerDay });
  if (e.percent !== undefined) return t('calc.percent', { value: e.percent });
  return null;
}

function periodText(e: Entitlement, asOf: string, t: TFunction): string | null {
  const year = e.year ?? Number(asOf.slice(0, 4));
  switch (PERIOD[e.id] ?? 'none') {
    case 'oneTime':
      return t('calc.period.oneTime');
    case 'year':
      return t('calc.period.year', { year });
    case 'yearDays':
      return t('calc.period.yearDays', { year });
    case 'month':
      return t('calc.period.month', { month: e.month ?? asOf.slice(0, 7) });
    case 'perBirth':
      return t('calc.period.perBirth');
    case 'perDay':
      return t('calc.period.perDay');
    default:
      return null;
  }
}

const ZH_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 二孩 / "2nd child". */
export function birthOrderLabel(n: number, lang: Language): string {
  if (lang !== 'en') return `${ZH_NUMERALS[n - 1] ?? n}孩`;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix} child`;
}

/** "child:1" → "child-1", for test ids and anchors. */
function subjectKey(subject: string): string {
  return subject.replace(':', '-');
}

function Why({ e, lang }: { e: Entitlement; lang: Language }) {
  const { t } = useTranslation();
  return (
    <div className="why" data-testid="why">
      <ul className="why-list">
        {e.explanation.map((l) => (
          <li key={l.condition} className={l.holds ? 'why-holds' : 'why-fails'} data-holds={l.holds}>
            <span className="why-mark" role="img" aria-label={l.holds ? t('calc.holds') : t('calc.fails')}>
              {l.holds ? '✓' : '✗'}
            </span>
            <span>{lang === 'en' ? l.en : l.zh}</span>
          </li>
        ))}
      </ul>
      {e.citations.length > 0 && (
        <div className="why-citations">
          <Typography.Text type="secondary" className="why-basis">
            {t('calc.basis')}
          </Typography.Text>
          {e.citations.map((c) => (
            <blockquote key={`${c.source}|${c.clause}|${c.text}`} className="citation" data-testid="citation">
              <div className="citation-head">
                <Tag color="blue" className="citation-clause">
                  {c.clause}
                </Tag>
                <cite>{c.document ?? t(`sources.${c.source}`, { defaultValue: c.source })}</cite>
              </div>
              <p lang="zh-CN">{c.text}</p>
            </blockquote>
          ))}
        </div>
      )}
    </div>
  );
}

function EntitlementCard({ e, asOf, lang }: { e: Entitlement; asOf: string; lang: Language }) {
  const { t } = useTranslation();
  const value = e.eligible ? valueText(e, t, lang) : null;
  const period = e.eligible ? periodText(e, asOf, t) : null;
  return (
    <Card
      size="small"
      className={`ent-card ${e.eligible ? 'ent-yes' : 'ent-no'}`}
      data-testid={`ent-${e.id}-${subjectKey(e.subject)}`}
      data-eligible={e.eligible}
    >
      <div className="ent-head">
        <span className="ent-name">{entitlementName(e.id, t)}</span>
        <Tag color={e.eligible ? 'success' : 'default'} className="ent-status">
          {e.eligible ? t('calc.eligible') : t('calc.notEligible')}
        </Tag>
      </div>
      {e.eligible && (value || period) && (
        <div className="ent-value">
          {value && (
            <span className="ent-amount" data-testid="ent-amount">
              {value}
            </span>
          )}
          {period && <span className="ent-period">{period}</span>}
        </div>
      )}
      {e.eligible && e.id === 'iit_infant_care_deduction' && (
        <Typography.Paragraph type="secondary" className="ent-note">
          {t('calc.iitNote')}
        </Typography.Paragraph>
      )}
      {e.eligible && e.services && e.services.length > 0 && (
        <ul className="ent-services">
          {e.services.map((s) => (
            <li key={s.id}>
              {lang === 'en' ? s.en : s.zh}{' '}
              <Tooltip title={s.text}>
                <Tag className="citation-clause" data-testid="service-clause">
                  {s.clause}
                </Tag>
              </Tooltip>
            </li>
          ))}
        </ul>
      )}
      <Collapse
        ghost
        size="small"
        className="why-collapse"
        items={[
          {
            key: 'why',
            label: <span data-testid="why-toggle">{t('calc.why')}</span>,
            children: <Why e={e} lang={lang} />,
            forceRender: true,
          },
        ]}
      />
    </Card>
  );
}

type Group = { subject: string; title: string; subtitle: string | null; items: Entitlement[] };

function groups(result: EntitlementsResult, input: EntitlementInput, t: TFunction, lang: Language): Group[] {
  const bySubject = new Map<string, Entitlement[]>();
  for (const e of result.entitlements) {
    const list = bySubject.get(e.subject) ?? [];
    list.push(e);
    bySubject.set(e.subject, list);
  }
  const rank = (s: string) => {
    if (s.startsWith('child:')) return Number(s.slice(6));
    return 1000 + ['mother', 'father', 'family'].indexOf(s);
  };
  return [...bySubject.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([subject, items]) => {
      if (subject.startsWith('child:')) {
        const i = Number(subject.slice(6));
        const child = input.family.children[i];
        const order = items.find((e) => e.birthOrder !== undefined)?.birthOrder;
        const parts = [
          child ? t('calc.bornOn', { date: child.birthDate }) : null,
          order ? birthOrderLabel(order, lang) : null,
          child?.adopted ? t('calc.adoptedTag') : null,
        ].filter(Boolean);
        return { subject, title: t('calc.subject.child', { n: i + 1 }), subtitle: parts.join(' · '), items };
      }
      return {
        subject,
        title: t(`calc.subject.${subject}`, { defaultValue: subject }),
        subtitle: null,
        items,
      };
    });
}

export function EntitlementResults({
  result,
  input,
  lang,
}: {
  result: EntitlementsResult;
  input: EntitlementInput;
  lang: Language;
}) {
  const { t } = useTranslation();
  const eligible = result.entitlements.filter((e) => e.eligible);
  const sum = (ids: Set<string>) =>
    eligible.filter((e) => ids.has(e.id)).reduce((s, e) => s + (e.amountFen ?? 0), 0);
  const oneTime = sum(ONE_TIME_IDS);
  const yearly = sum(YEARLY_CASH_IDS);
  const year = Number(result.asOf.slice(0, 4));

  return (
    <div className="calc-results" data-testid="calc-results">
      <div className="page-header calc-results-header">
        <div>
          <Typography.Title level={2} style={{ fontSize: 20 }}>
            {t('calc.resultsTitle')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('calc.resultsAsOf', { asOf: result.asOf })}</Typography.Text>
        </div>
        <Button
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          className="no-print"
          data-testid="print"
        >
          {t('calc.print')}
        </Button>
      </div>
      <Alert
        type={eligible.length > 0 ? 'success' : 'info'}
        showIcon
        className="calc-summary"
        data-testid="calc-summary"
        title={t('calc.summary', { count: eligible.length })}
        description={
          <Space orientation="vertical" size={2}>
            <span>{t('calc.summaryOneTime', { amount: formatYuan(oneTime, lang) })}</span>
            <span>{t('calc.summaryYearly', { year, amount: formatYuan(yearly, lang) })}</span>
          </Space>
        }
      />
      {groups(result, input, t, lang).map((g) => {
        const yes = g.items.filter((e) => e.eligible);
        const no = g.items.filter((e) => !e.eligible);
        return (
          <section key={g.subject} className="ent-group" data-testid={`group-${subjectKey(g.subject)}`}>
            <h3 className="ent-group-title">
              {g.title}
              {g.subtitle && <span className="ent-group-subtitle">{g.subtitle}</span>}
            </h3>
            {yes.length === 0 && (
              <Typography.Paragraph type="secondary" className="ent-none">
                {t('calc.noneEligible')}
              </Typography.Paragraph>
            )}
            <div className="ent-grid">
              {yes.map((e) => (
                <EntitlementCard key={`${e.id}|${e.subject}`} e={e} asOf={result.asOf} lang={lang} />
              ))}
            </div>
            {no.length > 0 && (
              <Collapse
                size="small"
                className="ent-ineligible"
                data-testid={`ineligible-${subjectKey(g.subject)}`}
                items={[
                  {
                    key: 'no',
                    label: t('calc.ineligible', { count: no.length }),
                    children: (
                      <div className="ent-grid">
                        {no.map((e) => (
                          <EntitlementCard
                            key={`${e.id}|${e.subject}`}
                            e={e}
                            asOf={result.asOf}
                            lang={lang}
                          />
                        ))}
                      </div>
                    ),
                  },
                ]}
              />
            )}
          </section>
        );
      })}
    </div>
  );
}
