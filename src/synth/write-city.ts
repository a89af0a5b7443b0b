/**
 * `writeCity`: generates the city and writes every department feed, manifest.json,
 * faults.json and summary.json into one folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FaultRates } from './feeds/faults.ts';
import { type FaultsReport, FeedSink, type Manifest } from './feeds/sink.ts';
import { generateCity } from './generate.ts';
import type { CitySink, SynthOptions, SynthProgress } from './model.ts';
import { DEFAULT_AS_OF } from './params.ts';
import { type CitySummary, createSummarizer } from './summary.ts';

export type WriteCityOptions = Omit<SynthOptions, 'onProgress'> & {
  outDir: string;
  faultRates?: Partial<FaultRates>;
  xlsxMaxRows?: number;
  faultDetails?: boolean;
  xlsxWorker?: boolean;
  onProgress?: (p: SynthProgress & { rows: number }) => void;
};

export type WriteCityResult = { manifest: Manifest; faults: FaultsReport; summary: CitySummary };

/** Sends each household to several sinks in turn. */
export function teeSink(...sinks: CitySink[]): CitySink {
  return {
    async start(info) {
      for (const s of sinks) await s.start?.(info);
    },
    async area(info) {
      for (const s of sinks) await s.area?.(info);
    },
    async household(h) {
      for (const s of sinks) {
        const r = s.household(h);
        if (r) await r;
      }
    },
    async end() {
      for (const s of sinks) await s.end?.();
    },
  };
}

export async function writeCity(options: WriteCityOptions): Promise<WriteCityResult> {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  await mkdir(options.outDir, { recursive: true });
  const feeds = new FeedSink({
    outDir: options.outDir,
    seed: options.seed >>> 0,
    asOf,
    faultRates: options.faultRates,
    xlsxMaxRows: options.xlsxMaxRows,
    faultDetails: options.faultDetails,
    xlsxWorker: options.xlsxWorker,
  });
  const summary = createSummarizer();
  try {
    await generateCity(
      {
        seed: options.seed,
        scale: options.scale,
        asOf,
        onProgress: (p) => options.onProgress?.({ ...p, rows: feeds.rows }),
      },
      teeSink(summary, feeds),
    );
  } catch (e) {
    await feeds.abort();
    throw e;
  }
  const result = summary.result();
  await writeFile(path.join(options.outDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  return { manifest: feeds.manifest!, faults: feeds.faults!, summary: result };
}
