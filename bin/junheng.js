#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx so `npx junheng …` works on a fresh clone.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
