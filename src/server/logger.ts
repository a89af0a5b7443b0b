/**
 * The platform's logger (pino). Every line passes through a last filter that masks any
 * checksum-valid ID number and any 11-digit mobile number, whatever field it hides in.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { maskIdNumber } from '../domain/id-number.ts';

const ID_RE = /(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])/g;
const PHONE_RE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

/** Masks ID and mobile numbers in a text (used on every log line). */
export function maskPersonalData(text: string): string {
  return text
    .replace(ID_RE, (m) => maskIdNumber(m))
    .replace(PHONE_RE, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'junheng' },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'password',
          'totp',
          'code',
          '*.password',
          '*.totp',
        ],
        censor: '[redacted]',
      },
      hooks: { streamWrite: (line: string) => maskPersonalData(line) },
    },
    destination,
  );
}
