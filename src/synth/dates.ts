/**
 * Calendar days as integers (days since 1970-01-01, proleptic Gregorian, no time zone): the
 * generator works on day numbers and formats ISO dates only when it writes a row. Algorithms
 * after Howard Hinnant's `days_from_civil` / `civil_from_days`.
 */

export function dayOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilOf(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

export function parseDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const day = dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  const [y, mo, d] = civilOf(day);
  if (y !== Number(m[1]) || mo !== Number(m[2]) || d !== Number(m[3]))
    throw new Error(`not a real date: ${iso}`);
  return day;
}

// Memo of formatted days 1900-01-01 .. 2059-12-31: a city formats the same days many times.
const CACHE_FROM = -25567;
const isoCache: Array<string | undefined> = new Array(58_440);
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD`. */
export function isoOf(day: number): string {
  const k = day - CACHE_FROM;
  let s = k >= 0 && k < isoCache.length ? isoCache[k] : undefined;
  if (s === undefined) {
    const [y, m, d] = civilOf(day);
    s = `${y}-${pad2(m)}-${pad2(d)}`;
    if (k >= 0 && k < isoCache.length) isoCache[k] = s;
  }
  return s;
}

/** `YYYYMMDD`, the compact form police systems and ID numbers use. */
export function compactOf(day: number): string {
  return isoOf(day).replaceAll('-', '');
}

export function yearOf(day: number): number {
  return civilOf(day)[0];
}

/** Whole years between birth and `day` (age on that day). */
export function ageOn(birthDay: number, day: number): number {
  const [by, bm, bd] = civilOf(birthDay);
  const [y, m, d] = civilOf(day);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** Age in years, approximate near birthdays (±1 day): for hot loops where exactness is moot. */
export function roughAge(birthDay: number, day: number): number {
  return Math.floor((day - birthDay) / 365.2425);
}

/** Adds whole months (clamping the day to the month's end). */
export function addMonths(day: number, months: number): number {
  const [y, m, d] = civilOf(day);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = civilOf(dayOf(nm === 12 ? ny + 1 : ny, nm === 12 ? 1 : nm + 1, 1) - 1)[2];
  return dayOf(ny, nm, Math.min(d, last));
}

/** `YYYY-MM-DD HH:MM:SS` for a day plus seconds into it. */
export function timestampOf(day: number, seconds: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(seconds)));
  return `${isoOf(day)} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

/** Day number of a `YYYY-MM-DD` string already known to be valid (no checks: hot paths). */
export function dayOfIso(iso: string): number {
  const y =
    iso.charCodeAt(0) * 1000 + iso.charCodeAt(1) * 100 + iso.charCodeAt(2) * 10 + iso.charCodeAt(3) - 53328;
  const m = iso.charCodeAt(5) * 10 + iso.charCodeAt(6) - 528;
  const day = iso.charCodeAt(8) * 10 + iso.charCodeAt(9) - 528;
  return dayOf(y, m, day);
}
