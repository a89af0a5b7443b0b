/**
 * Empty feed templates (header row only, in each feed's real encoding) plus `feeds.json`, the
 * machine-readable column list. `npx junheng synth --templates data/feed-templates`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FEEDS } from './feeds/specs.ts';
import { openWriter } from './feeds/writers.ts';
import { DEFAULT_AS_OF } from './params.ts';

export async function writeTemplates(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const date = new Date(`${DEFAULT_AS_OF}T00:00:00Z`);
  for (const spec of FEEDS) {
    const writer = openWriter(spec, dir, date);
    const entries = await writer.close();
    files.push(...entries.map((e) => e.file));
  }
  const description = {
    note: 'Columns of every department feed of the synthetic city; see docs/feeds.md.',
    feeds: FEEDS.map((f) => ({
      id: f.id,
      source: f.source,
      department: f.department,
      title: f.title,
      file: f.file,
      format: f.format,
      encoding: f.encoding,
      dateStyle: f.dateStyle,
      ...(f.sheetName ? { sheetName: f.sheetName } : {}),
      recordId: f.keys.recordId,
      updatedAt: f.keys.updatedAt,
      columns: f.columns,
    })),
  };
  await writeFile(path.join(dir, 'feeds.json'), `${JSON.stringify(description, null, 2)}\n`);
  files.push('feeds.json');
  return files;
}
