#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx so `npx junheng …` works on a fresh clone.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `import` runs under a bounded V8 heap. Its live data is a few batches, but V8 grows its heap
// lazily up to a limit sized from the machine's memory, so an uncapped import of a whole city
// held 1.2 GB at its peak. JUNHENG_IMPORT_HEAP_MB sets the bound (default 512; 0 = V8's own);
// a --max-old-space-size already given in NODE_OPTIONS or on node's command line wins.
const heapMb = Number(process.env.JUNHENG_IMPORT_HEAP_MB ?? 512);
const flags = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
if (process.argv[2] === 'import' && heapMb > 0 && !flags.includes('--max-old-space-size')) {
  const r = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      `--max-old-space-size=${heapMb}`,
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  if (r.signal) process.kill(process.pid, r.signal); // ended by a signal: end the same way
  process.exit(r.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
