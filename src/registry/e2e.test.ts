import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../server/context.ts';
import { createTestServer, type TestServer } from '../server/test-support.ts';
import { writeCity } from '../synth/write-city.ts';
import { importFolder } from './demo.ts';
import type { ImportReport } from './pipeline.ts';
import { tmp } from './test-fixtures.ts';

let ts: TestServer;
let dir: string;
let reports: ImportReport[] = [];

beforeAll(async () => {
  ts = await createTestServer({ seedDemo: false });
  dir = tmp();
  await writeCity({ seed: 7, scale: 0.0005, outDir: dir });
  reports = await importFolder(ts.deps, SYSTEM, dir);
}, 300_000);

afterAll(async () => {
  expect(ts.leaks).toEqual([]);
  await ts.close();
});

describe('a small synthetic city, end to end', () => {
  it('accounts for every row and matches the injected faults where they are deterministic', () => {
    const faults = JSON.parse(readFileSync(`${dir}/faults.json`, 'utf8'));
    const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8'));
    const rows = manifest.feeds.reduce((s: number, f: { rows: number }) => s + f.rows, 0);
    const sum = (k: 'accepted' | 'rejected' | 'updated' | 'unchanged') =>
      reports.reduce((s, r) => s + r[k], 0);
    expect(sum('accepted') + sum('rejected') + sum('updated') + sum('unchanged')).toBe(rows);
    // Every bad check character is rejected, nothing else is; every duplicate row is unchanged.
    const rejects: Record<string, number> = {};
    for (const r of reports)
      for (const [k, v] of Object.entries(r.rejectsByReason)) rejects[k] = (rejects[k] ?? 0) + v;
    expect(rejects).toEqual({ 'id.checksum': faults.totals.badChecksum });
    expect(sum('unchanged')).toBe(faults.totals.duplicate);
    expect(sum('updated')).toBe(0);
    // Per feed: the blanked columns the spec requires are reported as incomplete.
    for (const r of reports) {
      const f = faults.feeds[r.feed].faults;
      expect(r.rejectsByReason['id.checksum'] ?? 0, r.feed).toBe(f.badChecksum);
    }
  });

  it('links almost every accepted record to a person', () => {
    const linked = reports.reduce(
      (s, r) => s + r.linked.byIdNumber + r.linked.byCertificate + r.linked.byMatch,
      0,
    );
    const unlinked = reports.reduce((s, r) => s + r.linked.unlinked, 0);
    expect(linked / (linked + unlinked)).toBeGreaterThan(0.98);
  });

  it('changes nothing when the whole city is imported again', async () => {
    const again = await importFolder(ts.deps, SYSTEM, dir);
    for (const r of again) {
      expect(r.alreadyImported).toBe(true);
      expect(r.accepted + r.updated).toBe(0);
    }
  });
});
