#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx so `npx junheng …` works on a fresh clone.
import { register } from 'tsx/esm/api';

register();
if (process.argv[2] === 'import') {
  const { importHeapMb, rerunWithHeapBound } = await import('../src/cli/heap-bound.ts');
  rerunWithHeapBound(importHeapMb());
}
await import('../src/cli/main.ts');
