/**
 * Import boundaries (GUIDE.md): the pure libraries `rules/` and `demography/` do no I/O and
 * read no clock or environment; they import nothing of the server, database or CLI.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('.', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const PURE = ['rules', 'demography'];
// The rules' parameter loader is the one module allowed to read files (it is given a path).
const IO_ALLOWED = new Set(['rules/load.ts']);

describe('architecture', () => {
  for (const lib of PURE) {
    it(`${lib}/ imports nothing outside itself but the domain vocabulary and pure packages`, () => {
      const offences: string[] = [];
      for (const f of files(join(root, lib))) {
        const rel = relative(root, f);
        const text = readFileSync(f, 'utf8');
        for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
          const spec = m[1];
          if (spec.startsWith('.')) {
            const target = relative(root, join(f, '..', spec));
            if (!target.startsWith(`${lib}/`) && !target.startsWith('domain/'))
              offences.push(`${rel} imports ${spec}`);
          } else if (
            /^(node:)?(fs|net|http|https|child_process|pg|@electric-sql|kysely|fastify)/.test(spec) &&
            !IO_ALLOWED.has(rel)
          ) {
            offences.push(`${rel} imports ${spec}`);
          }
        }
        if (/Date\.now\(\)|new Date\(\)|process\.env|Math\.random\(\)/.test(text))
          offences.push(`${rel} reads the clock, environment or an unseeded random source`);
      }
      expect(offences).toEqual([]);
    });
  }
});
