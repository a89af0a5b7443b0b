/**
 * The two population readers behind one interface: `readPopulation` drives either over the lines
 * of a file (an async iterable, as `readline` gives them), with the same stopping, progress and
 * empty-file handling, and the same population from the same families.
 */
import { describe, expect, it } from 'vitest';
import { ColumnsBuilder } from './batch.ts';
import {
  MAX_POPULATION_ISSUES,
  type PopulationFormat,
  populationReader,
  readPopulation,
} from './population.ts';

async function* lines(text: string[]): AsyncIterable<string> {
  for (const l of text) yield l;
}
const read = async (format: PopulationFormat, text: string[], every?: number) => {
  const b = new ColumnsBuilder();
  const reader = populationReader(format, b);
  const progress: number[] = [];
  const r = await readPopulation(lines(text), reader, (n) => progress.push(n), every);
  return { ...r, reader, progress, cols: b.build() };
};

describe('population readers (one interface for JSON lines and CSV)', () => {
  it('the same families read the same from either format, a byte-order mark and blank lines ignored', async () => {
    const j = await read('jsonl', [
      '\uFEFF{"hukouArea":"530102","children":[{"birthDate":"2020-01-01"},{"birthDate":"2025-03-01"}]}',
      '',
      '{"persons":3}',
    ]);
    const c = await read('csv', [
      '\uFEFFfamily_id,hukou_area,child_birth_date',
      'f1,530102,2020-01-01',
      '',
      'f1,530102,2025-03-01',
    ]);
    expect(j.issues).toEqual([]);
    expect(c.issues).toEqual([]);
    expect([j.reader.label, c.reader.label]).toEqual(['JSON lines', 'CSV']);
    expect([j.lines, c.lines, j.stopped, c.stopped]).toEqual([3, 4, false, false]);
    expect([j.cols.familyCount, j.cols.childCount]).toEqual([c.cols.familyCount, c.cols.childCount]);
  });

  it('an empty file is one issue on line 1 in either format', async () => {
    const j = await read('jsonl', ['', '  ']);
    const c = await read('csv', []);
    expect(j.issues.map((i) => [i.line, i.code])).toEqual([[1, 'population.empty']]);
    expect(c.issues.map((i) => [i.line, i.code])).toEqual([[1, 'population.empty']]);
  });

  it('the field of an issue as printed: the JSON pointer, or the CSV column', async () => {
    const j = await read('jsonl', ['{"persons":-1}']);
    const c = await read('csv', ['family_id,hukou_area,child_birth_date', 'f1,53010x,2020-01-01']);
    expect(j.issues.map((i) => j.reader.field(i))).toEqual(['/persons']);
    expect(c.issues.map((i) => c.reader.field(i))).toEqual(['hukou_area']);
  });

  it('reading stops once a reader is full; JSON lines keeps the last line whole', async () => {
    const bad = Array.from({ length: 500 }, () => '{"hukouArea":"x","children":[{"birthDate":"bad"}]}');
    const j = await read('jsonl', bad);
    expect(j.stopped).toBe(true);
    expect(j.lines).toBe(MAX_POPULATION_ISSUES / 2);
    expect(j.issues).toHaveLength(MAX_POPULATION_ISSUES);
    const c = await read('csv', ['family_id,hukou_area,child_birth_date', ...Array(500).fill('f,x,bad')]);
    expect(c.stopped).toBe(true);
    expect(c.issues).toHaveLength(MAX_POPULATION_ISSUES);
    expect(c.lines).toBeLessThan(500);
  });

  it('progress every n lines, not on the line reading stops at', async () => {
    const ok = await read('jsonl', Array(7).fill('{"persons":1}'), 3);
    expect(ok.progress).toEqual([3, 6]);
    const stop = await read(
      'jsonl',
      [...Array(2).fill('{"persons":1}'), ...Array(200).fill('x')],
      2 + MAX_POPULATION_ISSUES,
    );
    expect(stop.progress).toEqual([]);
    expect(stop.lines).toBe(2 + MAX_POPULATION_ISSUES);
  });

  it('an error of the line source reaches the caller', async () => {
    async function* broken(): AsyncIterable<string> {
      yield '{"persons":1}';
      throw new Error('EISDIR');
    }
    const reader = populationReader('jsonl', new ColumnsBuilder());
    await expect(readPopulation(broken(), reader)).rejects.toThrow('EISDIR');
  });
});
