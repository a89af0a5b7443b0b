import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Builds the web app once before the browser tests (the server serves web/dist). Set
 * E2E_SKIP_BUILD=1 to reuse an existing build while iterating on tests.
 */
export default async function setup(): Promise<void> {
  await mkdir(path.join(root, 'test-results/screenshots'), { recursive: true });
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(path.join(root, 'web/dist/index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}
