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
