/**
 * Quoting a rejected value back in an error message (calculator input, population files, reform
 * and parameter files), shortened: a body may be megabytes of one string.
 */

/** Longest part of a rejected value echoed back. */
export const ECHO_MAX = 40;

/** A text cut to ECHO_MAX characters, the cut marked with "…". */
export function clip(s: string): string {
  return s.length > ECHO_MAX ? `${s.slice(0, ECHO_MAX)}…` : s;
}

/**
 * A value as it appears in a message: JSON, so that a text is quoted and its spaces and control
 * characters show (a text is cut before it is quoted, so the quotes stay); a date (a YAML
 * timestamp) as its ISO day.
 */
export function echo(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(clip(v));
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString().slice(0, 10);
  return clip(JSON.stringify(v) ?? String(v));
}
