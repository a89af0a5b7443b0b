/**
 * In-process test harness: a fresh database per suite (in-memory PGlite, or a new database on
 * the server named by TEST_DATABASE_URL), the real app, sign-in helpers, a controllable clock,
 * and the personal-data leak detector over every response body and log line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/connection.ts';
import type { Database } from '../db/schema.ts';
import { findUnmaskedIdNumbers } from '../domain/id-number.ts';
import { createCipher, loadKeys } from '../security/crypto.ts';
import { buildApp, SESSION_COOKIE } from './app.ts';
import { totpFor } from './auth/service.ts';
import { createDevSmsGateway, lastCodeFor } from './auth/sms.ts';
import type { App, ServerDeps } from './http.ts';
import { createLogger } from './logger.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS } from './seed/demo-accounts.ts';
import { prepareDatabase } from './start.ts';

export const dbKindUnderTest = process.env.TEST_DATABASE_URL ? 'server' : 'embedded';

/** Routes whose purpose is to return a full ID number (permissioned and audited). */
const LEAK_EXEMPT = [/^\/api\/v1\/persons\/\d+\/reveal$/];

export type TestServer = {
  app: App;
  deps: ServerDeps;
  clock: { now: Date; advance(ms: number): void };
  logLines: string[];
  leaks: string[];
  /** Signs a staff-side demo account in; returns its cookie header. */
  login(username: string): Promise<string>;
  /** Signs a citizen in through the SMS code; returns the cookie header. */
  citizenLogin(idNumber: string): Promise<string>;
  request(opts: {
    method: string;
    url: string;
    cookie?: string;
    body?: unknown;
    headers?: Record<string, string>;
  }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

async function serverDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `junheng_t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c2 = new pg.Client({ connectionString: admin });
      await c2.connect();
      await c2.query(`drop database if exists ${name} with (force)`);
      await c2.end();
    },
  };
}

export async function createTestServer(opts: { seedDemo?: boolean; start?: Date } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'junheng-test-'));
  const server = process.env.TEST_DATABASE_URL ? await serverDatabase() : null;
  const config = {
    ...loadConfig({}),
    dataDir,
    databaseUrl: server?.url,
    env: 'test',
    signInRateLimit: 10_000,
    publicRateLimit: 100_000,
    logLevel: 'info',
  };
  const cipher = createCipher(loadKeys({}, dataDir));
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir,
    memory: !server,
    appRole: 'junheng_app',
  });
  const logLines: string[] = [];
  const leaks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const line = String(chunk);
      logLines.push(line);
      for (const id of findUnmaskedIdNumbers(line)) leaks.push(`log: ${id}`);
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const clockState = { now: opts.start ?? new Date('2026-11-29T02:00:00Z') };
  const clock = {
    get now() {
      return clockState.now;
    },
    advance(ms: number) {
      clockState.now = new Date(clockState.now.getTime() + ms);
    },
  };
  await prepareDatabase({ config, db, cipher }, logger, opts.seedDemo ?? true);
  const deps: ServerDeps = {
    db,
    cipher,
    clock: () => clockState.now,
    config,
    sms: createDevSmsGateway(logger),
  };
  const app = await buildApp({ deps, logger });
  app.addHook('onSend', async (req, _reply, payload) => {
    if (typeof payload === 'string' && !LEAK_EXEMPT.some((re) => re.test(req.url.split('?')[0]))) {
      for (const id of findUnmaskedIdNumbers(payload)) leaks.push(`${req.method} ${req.url}: ${id}`);
    }
    return payload;
  });
  await app.ready();

  const request: TestServer['request'] = ({ method, url, cookie, body, headers }) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { ...(cookie ? { cookie } : {}), ...(headers ?? {}) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });

  const cookieOf = (res: LightMyRequestResponse) => {
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE);
    if (!c) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
    return `${SESSION_COOKIE}=${c.value}`;
  };

  return {
    app,
    deps,
    clock,
    logLines,
    leaks,
    async login(username) {
      const secret = DEMO_TOTP_SECRETS[username];
      const totp = secret ? totpFor(secret).generate({ timestamp: clockState.now.getTime() }) : undefined;
      return cookieOf(
        await request({
          method: 'POST',
          url: '/api/v1/auth/login',
          body: { username, password: DEMO_PASSWORD, totp },
        }),
      );
    },
    async citizenLogin(idNumber) {
      const sent = await request({ method: 'POST', url: '/api/v1/auth/citizen/code', body: { idNumber } });
      if (sent.statusCode !== 202) throw new Error(`code not sent: ${sent.body}`);
      const code = lastCodeFor(idNumber);
      return cookieOf(
        await request({ method: 'POST', url: '/api/v1/auth/citizen/login', body: { idNumber, code } }),
      );
    },
    request,
    async close() {
      await app.close();
      await db.close();
      await server?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Uploads a department file as staff do: the raw bytes (a file path is read) as
 * `application/octet-stream` to `POST /api/v1/imports?feed=…[&fileName=…]`. The answer is
 * returned as is (202 with the job id, or the refusal); the import runs as a job (`importJobsIdle`).
 */
export function uploadImport(
  ts: TestServer,
  opts: { cookie: string; feed: string; file: string | Buffer; fileName?: string },
): Promise<LightMyRequestResponse> {
  const query = new URLSearchParams({ feed: opts.feed });
  if (opts.fileName !== undefined) query.set('fileName', opts.fileName);
  return ts.request({
    method: 'POST',
    url: `/api/v1/imports?${query}`,
    cookie: opts.cookie,
    body: typeof opts.file === 'string' ? readFileSync(opts.file) : opts.file,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

type AuditColumn = keyof Database['audit_log'] & string;

/**
 * The audit rows one request wrote, in order: found by its request id, or by the response that
 * carries it (`x-request-id`), with the columns a test compares.
 */
export function auditOf(
  ts: TestServer,
  r: string | { headers: Record<string, unknown> },
  columns: readonly AuditColumn[],
): Promise<Record<string, unknown>[]> {
  const requestId = typeof r === 'string' ? r : String(r.headers['x-request-id']);
  return ts.deps.db.kysely
    .selectFrom('audit_log')
    .select(columns as AuditColumn[])
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
}
