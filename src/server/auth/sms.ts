/**
 * SMS gateway interface. The development gateway writes the message to the log (and keeps
 * the last code per recipient in memory for tests); a provider plugs in behind `SmsGateway`.
 */
import type { Logger } from 'pino';
import { maskPhone } from '../../domain/id-number.ts';

export type SmsGateway = {
  send(to: string, text: string, meta: { purpose: 'sign-in'; code: string; key: string }): Promise<void>;
};

const outbox = new Map<string, string>();

/** Test hook: the last code sent for a key (the person's blind index or ID number). */
export function lastCodeFor(key: string): string | undefined {
  return outbox.get(key);
}

export function createDevSmsGateway(log: Pick<Logger, 'info'>): SmsGateway {
  return {
    async send(to, text, meta) {
      outbox.set(meta.key, meta.code);
      log.info(
        { sms: { to: maskPhone(to), purpose: meta.purpose } },
        `[dev SMS gateway] to ${maskPhone(to)}: ${text}`,
      );
    },
  };
}
