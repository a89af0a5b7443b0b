/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian). Pure and
 * allocation-free so that the batch path can call it in tight loops.
 */

/** Day number of a civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year of a day number. */
export function yearOfDay(z: number): number {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (m <= 2 ? 1 : 0);
}

/** Packed civil date y*10000 + m*100 + d of a day number (no allocation). */
export function packedFromDays(z: number): number {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1];
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The dates the engine takes. */
export const DATE_RANGE = { from: '1900-01-01', to: '2999-12-31' } as const;

/** Strict ISO date (YYYY-MM-DD, a real calendar day, in DATE_RANGE) → day number, else null. */
export function parseIsoDate(s: string): number | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}

export type DateProblem = { reason: 'format' | 'no_such_day' | 'out_of_range'; zh: string; en: string };

/**
 * Why `s` is not a date parseIsoDate takes (null when it is one): the wrong form, a day the
 * calendar does not have, or outside DATE_RANGE; in zh and en, without the value itself.
 */
export function isoDateProblem(s: string): DateProblem | null {
  const m = ISO_RE.exec(s);
  if (!m) {
    return {
      reason: 'format',
      zh: '日期格式错误，应为 YYYY-MM-DD（如 "2024-06-30"，不含时间和空格）',
      en: 'Wrong date format: expected YYYY-MM-DD (e.g. "2024-06-30", no time, no spaces)',
    };
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12)
    return {
      reason: 'no_such_day',
      zh: `不存在的日期：没有 ${mo} 月`,
      en: `No such date: there is no month ${mo}`,
    };
  const n = daysInMonth(y, mo);
  if (d < 1 || d > n) {
    return {
      reason: 'no_such_day',
      zh: `不存在的日期：${m[1]} 年 ${mo} 月只有 ${n} 天`,
      en: `No such date: ${m[1]}-${m[2]} has ${n} days`,
    };
  }
  if (parseIsoDate(s) !== null) return null;
  return {
    reason: 'out_of_range',
    zh: `日期超出支持范围（${DATE_RANGE.from} 至 ${DATE_RANGE.to}）`,
    en: `Date outside the supported range (${DATE_RANGE.from} to ${DATE_RANGE.to})`,
  };
}

export function isoFromDays(z: number): string {
  const p = packedFromDays(z);
  const y = Math.floor(p / 10000);
  const m = Math.floor(p / 100) % 100;
  const d = p % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The day of the `years`-th anniversary of `day` (birthdays). A 29 February anniversary in a
 * common year falls on 1 March: the period ends on the last day of February (《民法典》 Art. 201),
 * so the person reaches the age on the next day.
 */
export function anniversaryDay(day: number, years: number): number {
  const p = packedFromDays(day);
  const y = Math.floor(p / 10000) + years;
  const m = Math.floor(p / 100) % 100;
  const d = p % 100;
  if (m === 2 && d === 29 && !isLeapYear(y)) return daysFromCivil(y, 3, 1);
  return daysFromCivil(y, m, d);
}

/** Month index (y*12 + m-1) of a day number. */
export function monthIndexOfDay(z: number): number {
  const p = packedFromDays(z);
  return Math.floor(p / 10000) * 12 + (Math.floor(p / 100) % 100) - 1;
}

/** Day number of the first day of a month index. */
export function firstDayOfMonthIndex(mi: number): number {
  const y = Math.floor(mi / 12);
  return daysFromCivil(y, mi - y * 12 + 1, 1);
}

export function monthIndexIso(mi: number): string {
  const y = Math.floor(mi / 12);
  return `${y}-${String(mi - y * 12 + 1).padStart(2, '0')}`;
}

/** Sentinels for open-ended periods. */
export const OPEN_START = -1_000_000;
export const OPEN_END = 1_000_000;
