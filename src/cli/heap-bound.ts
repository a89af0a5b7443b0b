// A bounded V8 heap for imports. An import's live data is a few batches, but V8 grows its heap
// lazily up to a limit sized from the machine's memory: uncapped, an import of a whole city held
// 1.2 GB at its peak. Used by `junheng import` (bin/junheng.js) and `npm run bench:import`.
import { spawnSync } from 'node:child_process';

/** JUNHENG_IMPORT_HEAP_MB, default 512; 0 leaves V8's own limit. */
export const importHeapMb = (): number => Number(process.env.JUNHENG_IMPORT_HEAP_MB ?? 512);

/**
 * Young generation for imports: each batch makes tens of megabytes of short-lived strings and
 * objects (SQL array literals, record hashes, row objects). V8's default 16 MB semi-space
 * promotes many of them before they die; 32 MB cut garbage-collection time by about a third and
 * raised throughput by about 7% on the scale-0.01 city (docs/registry.md), for ~40 MB of RSS.
 */
export const IMPORT_SEMI_SPACE_MB = 32;

/**
 * Runs this same command again under `--max-old-space-size=mb` (and the import's young
 * generation, IMPORT_SEMI_SPACE_MB) and exits as it exits; returns at once when no bound is
 * asked for or one is already given (NODE_OPTIONS or node's own flags).
 */
export function rerunWithHeapBound(mb: number): void {
  const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
  if (!(mb > 0) || flags.includes('--max-old-space-size')) return;
  const r = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      `--max-old-space-size=${mb}`,
      ...(flags.includes('--max-semi-space-size') ? [] : [`--max-semi-space-size=${IMPORT_SEMI_SPACE_MB}`]),
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit' },
  );
  if (r.signal) process.kill(process.pid, r.signal); // ended by a signal: end the same way
  process.exit(r.status ?? 1);
}
