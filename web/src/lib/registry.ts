/** Labels and small rules shared by the registry pages (imports, person record, reviews, quality). */
import type { TFunction } from 'i18next';
import streetTable from '../../../data/areas/kunming-streets.json' with { type: 'json' };
import type { Feed, User } from '../api/types.ts';
import type { Language } from '../i18n/index.ts';
import { managementAreaLabel } from './area-names.ts';

/** The departments' sources, in the server's order (police first). */
export const SOURCE_ORDER = [
  'police',
  'health',
  'medical-insurance',
  'social-security',
  'civil-affairs',
  'education',
  'housing-fund',
] as const;

/**
 * Department key (`health@530102` → `health`) → the source its staff may import. A mirror of
 * the server's `DEPARTMENT_SOURCE` (src/registry/feeds.ts), used only to list the user's own
 * feeds first; the server decides on upload and its refusal is shown as it is.
 */
const DEPARTMENT_SOURCE: Record<string, string> = {
  police: 'police',
  health: 'health',
  'medical-insurance': 'medical-insurance',
  'hr-social-security': 'social-security',
  'civil-affairs': 'civil-affairs',
  'education-sports': 'education',
  'housing-fund': 'housing-fund',
};

/** The sources the user may probably submit (null: all of them). */
export function ownSources(user: User | null | undefined): Set<string> | null {
  if (!user) return new Set();
  if (user.role === 'city_admin' || user.role === 'area_admin') return null;
  const source = user.departmentCode ? DEPARTMENT_SOURCE[user.departmentCode.split('@')[0]] : undefined;
  return new Set(source ? [source] : []);
}

export function sourceRank(source: string): number {
  const i = (SOURCE_ORDER as readonly string[]).indexOf(source);
  return i < 0 ? SOURCE_ORDER.length : i;
}

export function sourceLabel(source: string | null | undefined, t: TFunction): string {
  if (!source) return '—';
  return t(`registry.sources.${source}`, { defaultValue: source });
}

/** A feed's title in the current language (the API sends the Chinese one). */
export function feedTitle(feedId: string, t: TFunction, feeds?: readonly Feed[]): string {
  const zh = feeds?.find((f) => f.id === feedId)?.title;
  return t(`registry.feeds.${feedId}`, { defaultValue: zh ?? feedId });
}

/** The department that sends a feed, in the current language (the feed list gives it in Chinese). */
export function feedDepartment(feedId: string, t: TFunction, feeds?: readonly Feed[]): string {
  const zh = feeds?.find((f) => f.id === feedId)?.department;
  return t(`registry.feedDepartments.${feedId}`, { defaultValue: zh ?? '' });
}

/** A row-level reason code (id.checksum …) in the current language. */
export function reasonLabel(
  code: string,
  t: TFunction,
  server?: { 'zh-CN': string; en: string },
  lang?: Language,
) {
  const fallback = server ? server[lang ?? 'zh-CN'] : code;
  return t(`registry.reason.${code}`, { defaultValue: fallback });
}

const STREETS = new Map(streetTable.streets.map((s) => [s.code, s]));

/** 9-digit street code → "华山街道" (zh) / "华山街道 530102001" (en: the names are Chinese only). */
export function streetLabel(code: string | null | undefined, lang: Language): string {
  if (!code) return '—';
  const s = STREETS.get(code);
  if (!s) return code;
  return lang === 'en' ? `${s.name} (${code})` : s.name;
}

/** A management area (6 or 9 digits) or, failing that, a street; else the code itself. */
export function areaLabel(code: string | null | undefined, lang: Language): string {
  if (!code) return '—';
  if (code === 'unknown') return lang === 'en' ? 'Unknown area' : '未知地区';
  return managementAreaLabel(code, lang) ?? (code.length === 9 ? streetLabel(code, lang) : code);
}

/** The county + street of a street code: "五华区 · 华山街道". */
export function placeLabel(code: string | null | undefined, lang: Language): string {
  if (!code) return '—';
  if (code.length !== 9) return areaLabel(code, lang);
  const county = managementAreaLabel(code.slice(0, 6), lang);
  const street = streetLabel(code, lang);
  return county ? `${county} · ${street}` : street;
}

/** A fused field's value for display (codes as words). */
export function fieldValue(field: string, value: string | null, t: TFunction, lang: Language): string {
  if (value === null || value === '') return '—';
  switch (field) {
    case 'sex':
      return sexLabel(value, t);
    case 'street_code':
      return placeLabel(value, lang);
    case 'hukou_area_code':
      return value.length === 9 ? placeLabel(value, lang) : areaLabel(value, lang);
    case 'marital_status':
      return t(`registry.marital.${value}`, { defaultValue: value });
    case 'household_relation':
      return t(`registry.householdRelation.${value}`, { defaultValue: value });
    case 'residence_status':
      return t(`registry.residence.${value}`, { defaultValue: value });
    default:
      return value;
  }
}

export function sexLabel(value: string | null | undefined, t: TFunction): string {
  if (!value) return '—';
  if (value === 'male' || value === '1' || value === '男') return t('citizen.sexMale');
  if (value === 'female' || value === '2' || value === '女') return t('citizen.sexFemale');
  return value;
}

/** A rate (0–1) as a whole percentage, or null. */
export function percent(rate: number | null | undefined): number | null {
  return rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10;
}

/** Green from 95 %, orange from 80 %, red below. */
export function rateColor(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '#bfbfbf';
  if (rate >= 0.95) return '#52c41a';
  if (rate >= 0.8) return '#fa8c16';
  return '#f5222d';
}

export function formatDateTime(iso: string, lang: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/**
 * A source record's time as `YYYY-MM-DD HH:MM:SS`. The record times are local (Beijing) times
 * without a zone; some answers carry them as a JavaScript date string of that wall time in UTC.
 */
export function recordTime(value: string | null | undefined): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.replace('T', ' ').slice(0, 19);
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toISOString().replace('T', ' ').slice(0, 19);
}
