/** The server for `bench/http.ts`, in its own process so the load generator does not share its CPU time. */
import { rmSync } from 'node:fs';
import { createLogger } from '../src/server/logger.ts';
import { startServer } from '../src/server/start.ts';

// Only the generated keys land here (the database is in memory); removed again on exit.
const dataDir = `/tmp/junheng-bench-http-${process.pid}`;
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  memory: true,
  seed: false,
  env: 'test',
  publicRateLimit: 10_000_000,
  logger: createLogger('warn'),
  dataDir,
});
process.stdout.write(`${server.url}\n`);
process.once('SIGTERM', () => {
  server.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
