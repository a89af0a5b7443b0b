import type { Language } from '../i18n/index.ts';

const locale = (lang: Language) => (lang === 'en' ? 'en-GB' : 'zh-CN');

export function formatInt(n: number, lang: Language): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(n);
}

export function formatRate(n: number, lang: Language): string {
  return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    n,
  );
}

/**
 * A share as a percentage with one decimal. A share below the floor never displays as the
 * floor itself (79.96% must not read "80.0%"), so then it is cut, not rounded, at two decimals.
 */
export function formatShare(share: number, lang: Language, floor?: number): string {
  const fmt = (digits: number) =>
    new Intl.NumberFormat(locale(lang), {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const rounded = Math.round(share * 1000) / 1000;
  if (floor !== undefined && share < floor && rounded >= floor) {
    return fmt(2).format(Math.floor(share * 10000) / 10000);
  }
  return fmt(1).format(share);
}

/** Integer fen as yuan with thousands separators: 200000 → "¥2,000" (cents only when present). */
export function formatYuan(fen: number, lang: Language): string {
  const yuan = fen / 100;
  const cents = Number.isInteger(yuan) ? 0 : 2;
  return `¥${new Intl.NumberFormat(locale(lang), { minimumFractionDigits: cents, maximumFractionDigits: 2 }).format(yuan)}`;
}

/**
 * A large budget sum: in Chinese as 万元 (ten-thousands of yuan, two decimals) once it reaches
 * 10万元, in English as whole yuan with thousands separators.
 */
export function formatBudgetYuan(fen: number, lang: Language): string {
  const yuan = fen / 100;
  if (lang !== 'en' && Math.abs(yuan) >= 100_000) {
    return `${new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(yuan / 10_000)} 万元`;
  }
  const n = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 0 }).format(Math.round(yuan));
  return lang === 'en' ? `¥${n}` : `${n} 元`;
}

/** A signed difference: "+¥795,000" / "+79.50 万元". */
export function formatSignedBudgetYuan(fen: number, lang: Language): string {
  const s = formatBudgetYuan(Math.abs(fen), lang);
  return fen > 0 ? `+${s}` : fen < 0 ? `−${s}` : s;
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD (the platform's calendar). */
export function todayInShanghai(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** A timestamp in Asia/Shanghai, "2026-11-29 08:46:39". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
