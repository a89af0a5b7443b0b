#!/usr/bin/env node
// `npm start`: builds the web app if it has not been built yet, then starts the server.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}web/dist/index.html`) && existsSync(`${root}web/vite.config.ts`)) {
  console.log('Building the web app (first start)…');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/server/main.ts');
