import { startServer } from './start.ts';

const server = await startServer({ demoScale: Number(process.env.JUNHENG_DEMO_SCALE ?? 0.01) });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().finally(() => process.exit(0));
  });
}
