/**
 * Starts the platform: migrate, seed reference data (and, outside production, the demo
 * accounts on first start), then serve the API and the web app from one process.
 */
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { startWorker } from '../jobs/queue.ts';
import { buildApp } from './app.ts';
import { createDevSmsGateway } from './auth/sms.ts';
import type { App } from './http.ts';
import { jobHandlers } from './job-handlers.ts';
import { createLogger } from './logger.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_CITIZEN_ID,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRETS,
  seedDemo,
} from './seed/demo-accounts.ts';
import { seedReference } from './seed/reference.ts';

export type StartOptions = Partial<Config> & {
  /** Seed the demo accounts and family when the database has no accounts yet. */
  seed?: boolean;
  logger?: Logger;
  memory?: boolean;
  clock?: () => Date;
  /**
   * Scale of the synthetic city imported through the department feeds on first start (0 =
   * none). `npm start` uses JUNHENG_DEMO_SCALE, default 0.01 (about 85,000 residents).
   */
  demoScale?: number;
  /** Called with the built app before it listens (the HTTP benchmark adds its control route). */
  beforeListen?: (app: App) => void | Promise<void>;
};

export type Started = { url: string; close(): Promise<void>; runtime: Runtime };

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function prepareDatabase(
  rt: Runtime,
  log: Pick<Logger, 'info'>,
  seedDemoData: boolean,
): Promise<void> {
  const applied = await migrate(rt.db);
  if (applied.length) log.info({ applied }, `applied ${applied.length} migration(s) on ${rt.db.describe}`);
  await seedReference(rt.db.kysely);
  if (!seedDemoData) return;
  const users = await rt.db.kysely
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(users.n) > 0) return;
  const r = await seedDemo(rt.db, rt.cipher);
  log.info(
    {
      demoAccounts: DEMO_ACCOUNTS.map((a) => ({
        username: a.username,
        role: a.role,
        password: DEMO_PASSWORD,
        totpSecret: DEMO_TOTP_SECRETS[a.username],
      })),
    },
    `seeded ${r.accounts.length} demo accounts (password ${DEMO_PASSWORD}; add each TOTP secret to an authenticator app, or run "npx junheng user totp <username>") and a demo family; citizen sign-in with ID ${DEMO_CITIZEN_ID.slice(0, 4)}…${DEMO_CITIZEN_ID.slice(-4)} (see README), the SMS code appears in this log`,
  );
}

/**
 * On a first start, fills the registry the way production fills it: a synthetic Kunming is
 * generated and its department feeds are imported through the real pipeline.
 */
async function seedDemoCity(rt: Runtime, log: Logger, scale: number, clock: () => Date): Promise<void> {
  const done = await rt.db.kysely.selectFrom('import_batch').select('id').limit(1).executeTakeFirst();
  if (done) return;
  const { importSyntheticCity } = await import('../registry/demo.ts');
  log.info(
    `first start: generating a synthetic Kunming (scale ${scale}) and importing its department feeds…`,
  );
  let lastFeed = '';
  const r = await importSyntheticCity({ db: rt.db, cipher: rt.cipher, clock }, { scale, seed: 42 }, (p) => {
    if (p.feed && p.feed !== lastFeed) {
      lastFeed = p.feed;
      log.info(`demo import: ${p.feed}`);
    }
  });
  const rows = r.reports.reduce((s, x) => s + x.rows, 0);
  log.info(
    { generateMs: r.generateMs, importMs: r.importMs, rows },
    `demo city ready: ${rows} feed rows imported in ${Math.round((r.generateMs + r.importMs) / 1000)} s`,
  );
}

export async function startServer(opts: StartOptions = {}): Promise<Started> {
  const {
    seed = true,
    logger: givenLogger,
    clock = () => new Date(),
    memory,
    demoScale = 0,
    beforeListen,
    ...overrides
  } = opts;
  const rt = await openRuntime({ ...overrides, memory });
  const logger = givenLogger ?? createLogger(rt.config.logLevel);
  const demo = seed && rt.config.env !== 'production';
  await prepareDatabase(rt, logger, demo);
  if (demo && demoScale > 0) await seedDemoCity(rt, logger, demoScale, clock);
  const app = await buildApp({
    deps: { db: rt.db, cipher: rt.cipher, clock, config: rt.config, sms: createDevSmsGateway(logger) },
    logger,
    webDist: WEB_DIST,
  });
  await beforeListen?.(app);
  const address = await app.listen({ port: rt.config.port, host: rt.config.host });
  // Durable jobs (imports, simulations) are worked in this process; a restart resumes them.
  const worker = startWorker(rt.db, jobHandlers({ db: rt.db, cipher: rt.cipher, clock }), { pollMs: 500 });
  logger.info(
    `Junheng is serving on ${address.replace('0.0.0.0', 'localhost')} (API docs at /api/docs) with ${rt.db.describe}`,
  );
  return {
    url: address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1'),
    runtime: rt,
    async close() {
      await worker.stop();
      await app.close();
      await rt.db.close();
    },
  };
}
