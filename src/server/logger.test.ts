import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findUnmaskedIdNumbers, makeIdNumber } from '../domain/id-number.ts';
import { createLogger, maskPersonalData } from './logger.ts';

describe('log masking', () => {
  it('masks ID and mobile numbers wherever they appear in a log line', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write: (c, _e, cb) => {
          lines.push(String(c));
          cb();
        },
      }),
    );
    const id = makeIdNumber('530102', '1992-04-01', 24);
    log.info({ nested: { who: id, phone: '13800001234' } }, `citizen ${id} called from 13800001234`);
    expect(lines).toHaveLength(1);
    expect(findUnmaskedIdNumbers(lines[0])).toEqual([]);
    expect(lines[0]).toContain('5301**********');
    expect(lines[0]).toContain('138****1234');
    expect(lines[0]).not.toContain('13800001234');
  });
  it('the detector itself finds a planted leak (so a clean run means something)', () => {
    const id = makeIdNumber('530103', '2001-12-31', 77);
    expect(findUnmaskedIdNumbers(`{"idNumber":"${id}"}`)).toEqual([id]);
    expect(maskPersonalData(id)).not.toBe(id);
  });
});
