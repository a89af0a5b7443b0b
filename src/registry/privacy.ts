/** Masking of identifiers that embed an ID number (e.g. the national student number `G` + ID). */
import { maskIdNumber } from '../domain/id-number.ts';

/** Masks every 18-character ID-number-like run inside a text. */
export function maskIdsIn(text: string): string {
  return text.replace(/\d{17}[\dXx]/g, (m) => maskIdNumber(m));
}
