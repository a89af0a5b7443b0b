/**
 * Citizen ID numbers (公民身份号码) per GB 11643-1999: 6-digit address code, 8-digit birth
 * date, 3-digit sequence (odd = male), check character over ISO 7064 MOD 11-2.
 * Unknown address codes are accepted (historic codes such as 530121 呈贡县 stay valid).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

export type IdNumberIssueCode = 'id.format' | 'id.checksum' | 'id.birth_date' | 'id.future_birth_date';

export type ParsedIdNumber = {
  /** Normalised 18-character form, upper-case X. */
  normalized: string;
  addressCode: string;
  birthDate: string;
  sex: 'male' | 'female';
  /** true when the input was a legacy 15-digit number. */
  converted: boolean;
};

export type IdNumberResult =
  | { ok: true; value: ParsedIdNumber }
  | { ok: false; code: IdNumberIssueCode; message: { zh: string; en: string } };

/** The check character for the first 17 characters. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** true when y-m-d is a real calendar date (Gregorian leap years). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [
    31,
    (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= days[m - 1];
}

const fail = (code: IdNumberIssueCode, zh: string, en: string): IdNumberResult => ({
  ok: false,
  code,
  message: { zh, en },
});

/**
 * Validates and normalises an ID number. `today` (ISO date) bounds the birth date; pass it
 * from the caller's clock.
 */
export function parseIdNumber(raw: string, today?: string): IdNumberResult {
  const input = String(raw ?? '')
    .trim()
    .toUpperCase();
  let id18: string;
  let converted = false;
  if (/^\d{15}$/.test(input)) {
    const first17 = `${input.slice(0, 6)}19${input.slice(6, 15)}`;
    id18 = first17 + checkCharacter(first17);
    converted = true;
  } else if (/^\d{17}[\dX]$/.test(input)) {
    id18 = input;
  } else {
    return fail(
      'id.format',
      '身份证号码须为18位（末位可为X）或15位数字',
      'ID number must be 18 characters (last may be X) or 15 digits',
    );
  }
  const y = Number(id18.slice(6, 10));
  const m = Number(id18.slice(10, 12));
  const d = Number(id18.slice(12, 14));
  if (y < 1800 || !isRealDate(y, m, d)) {
    return fail(
      'id.birth_date',
      '身份证号码中的出生日期不存在',
      'the birth date inside the ID number is not a real date',
    );
  }
  const birthDate = `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}`;
  if (today && birthDate > today) {
    return fail(
      'id.future_birth_date',
      '身份证号码中的出生日期晚于今天',
      'the birth date inside the ID number is in the future',
    );
  }
  if (!converted && checkCharacter(id18.slice(0, 17)) !== id18[17]) {
    return fail('id.checksum', '身份证号码校验位错误', 'ID number check character is wrong');
  }
  return {
    ok: true,
    value: {
      normalized: id18,
      addressCode: id18.slice(0, 6),
      birthDate,
      sex: Number(id18[16]) % 2 === 1 ? 'male' : 'female',
      converted,
    },
  };
}

/** true when `s` is an 18-character ID number with a correct check character. */
export function isChecksumValidId(s: string): boolean {
  return /^\d{17}[\dXx]$/.test(s) && checkCharacter(s.slice(0, 17)) === s[17].toUpperCase();
}

/** Masks an ID number for display: first 4 and last 4 kept (`5301**********123X`). */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** Masks a mobile number: `138****5678`. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** Builds a valid ID number (used by the synthetic city and by tests). */
export function makeIdNumber(addressCode: string, birthDate: string, sequence: number): string {
  const first17 = `${addressCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** Finds every checksum-valid 18-character ID number in a text (the leak detector). */
export function findUnmaskedIdNumbers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g)) {
    const s = m[0];
    const y = Number(s.slice(6, 10));
    if (
      y >= 1900 &&
      y <= 2100 &&
      isRealDate(y, Number(s.slice(10, 12)), Number(s.slice(12, 14))) &&
      isChecksumValidId(s)
    ) {
      found.push(s);
    }
  }
  return found;
}
