/**
 * Demo data: generate a synthetic city (src/synth) into a temporary folder and import every
 * feed in dependency order (police first: it registers the people the others link to).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Actor, type Deps, SYSTEM } from '../server/context.ts';
import { AppError } from '../server/errors.ts';
import type { Runtime } from '../server/runtime.ts';
import { type FeedSpec, findFeed } from './feeds.ts';
import { type ImportReport, importFile } from './pipeline.ts';
import { REFUSAL_CODES } from './reader.ts';

/** Import order: the civil register first, then the feeds that link to it. */
export const IMPORT_ORDER = [
  'police-hukou',
  'police-moves',
  'health-birth-certificates',
  'health-deaths',
  'health-vaccinations',
  'civil-affairs-marriages',
  'civil-affairs-special-families',
  'education-enrolment',
  'medical-insurance-enrolment',
  'social-security-cards',
  'housing-fund-contributors',
];

/** Of a folder's file names, a feed's: the plain name or its xlsx parts (`name-001.xlsx`, …). */
function namesOfFeed(names: readonly string[], spec: FeedSpec): string[] {
  const stem = spec.file.replace(/\.[a-z]+$/, '');
  const part = new RegExp(`^${stem}-\\d{3}\\.xlsx$`);
  return names.filter((n) => n === spec.file || part.test(n)).sort();
}

export type DemoProgress = { phase: 'generate' | 'import'; feed?: string; rows?: number; message: string };

/** The feed files found in a folder, in dependency order (IMPORT_ORDER). */
export async function feedFilesInOrder(dir: string): Promise<Array<{ spec: FeedSpec; file: string }>> {
  const names = await readdir(dir);
  const out: Array<{ spec: FeedSpec; file: string }> = [];
  for (const id of IMPORT_ORDER) {
    const spec = findFeed(id);
    if (spec) for (const n of namesOfFeed(names, spec)) out.push({ spec, file: join(dir, n) });
  }
  return out;
}

const REFUSALS: ReadonlySet<string> = new Set(REFUSAL_CODES);

/** One file of a folder import: its report, or the refusal of a file refused whole. */
export type FolderFile = { spec: FeedSpec; file: string } & (
  | { report: ImportReport; refused?: undefined }
  | { refused: AppError; report?: undefined }
);

/**
 * Imports every feed found in a folder, in dependency order. With `onFile`, each file's outcome
 * is handed to it as the file ends, and a file refused whole (it wrote nothing) does not stop the
 * next files; without it, a refusal is thrown and stops the import.
 */
export async function importFolder(
  deps: Deps,
  actor: Actor,
  dir: string,
  onProgress?: (p: DemoProgress) => void,
  onFile?: (f: FolderFile) => void,
): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  const files = await feedFilesInOrder(dir);
  for (const [i, { spec, file }] of files.entries()) {
    const id = spec.id;
    let report: ImportReport;
    try {
      report = await importFile(deps, actor, {
        feedId: id,
        file,
        onProgress: (p) => {
          const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
          const message = `file ${i + 1}/${files.length} ${basename(file)}: ${p.rows} rows, ${pct}%`;
          onProgress?.({ phase: 'import', feed: id, rows: p.rows, message });
        },
      });
    } catch (e) {
      // Only a file refused whole (import.columns, .encoding, .truncated, .unreadable) is told
      // and passed over; any other error stops the import.
      if (!onFile || !(e instanceof AppError) || !REFUSALS.has(e.code)) throw e;
      onFile({ spec, file, refused: e });
      continue;
    }
    reports.push(report);
    onFile?.({ spec, file, report });
  }
  return reports;
}

/**
 * Generates a synthetic city and imports it (for the first `npm start`). Returns the import
 * reports and the time taken.
 */
export async function importSyntheticCity(
  rt: Pick<Runtime, 'db' | 'cipher'> & { clock?: () => Date },
  opts: { scale: number; seed: number; asOf?: string },
  onProgress?: (p: DemoProgress) => void,
): Promise<{ reports: ImportReport[]; generateMs: number; importMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'junheng-city-'));
  try {
    const t0 = performance.now();
    const { writeCity } = await import('../synth/write-city.ts');
    onProgress?.({ phase: 'generate', message: `generating a synthetic city (scale ${opts.scale})` });
    await writeCity({
      seed: opts.seed,
      scale: opts.scale,
      outDir: dir,
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
    });
    const t1 = performance.now();
    const deps: Deps = { db: rt.db, cipher: rt.cipher, clock: rt.clock ?? (() => new Date()) };
    const reports = await importFolder(deps, SYSTEM, dir, onProgress);
    return { reports, generateMs: Math.round(t1 - t0), importMs: Math.round(performance.now() - t1) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
