/**
 * One PostgreSQL dialect everywhere: the embedded PGlite (real PostgreSQL in WASM, data in a
 * folder) by default, or a PostgreSQL server through `pg` when a URL is given. Both are exposed
 * to Kysely through its PostgresDialect; PGlite has one connection, so its "pool" hands the
 * connection out to one holder at a time.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DbKind = 'embedded' | 'server';

export type Db = {
  kysely: Kysely<Database>;
  kind: DbKind;
  /**
   * Runs `fn` on one dedicated owner connection (migrations, resets): `run` executes a
   * multi-statement script and returns the rows of the last statement.
   */
  admin<T>(fn: (run: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Human-readable location for logs (never contains a password). */
  describe: string;
};

type QueryResult = { command: string; rowCount: number; rows: unknown[] };
type PoolClient = { query(sql: string, params: unknown[]): Promise<QueryResult>; release(): void };

const INT8 = 20;
const DATE = 1082;

function commandOf(sql: string): string {
  const m = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql);
  return (m?.[1] ?? '').toUpperCase();
}

/** A single PGlite connection behind a FIFO lock, shaped like pg's Pool for Kysely. */
class PGlitePool {
  #tail: Promise<void> = Promise.resolve();
  constructor(readonly db: PGlite) {}

  async connect(): Promise<PoolClient> {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    await previous;
    let released = false;
    return {
      query: async (sql, params) => {
        const r = await this.db.query(sql, params);
        return { command: commandOf(sql), rowCount: r.affectedRows ?? 0, rows: r.rows };
      },
      release: () => {
        if (!released) {
          released = true;
          release();
        }
      },
    };
  }

  async end(): Promise<void> {
    await this.db.close();
  }
}

export type OpenOptions = {
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL role the application acts as on a server (least privilege), if it exists. */
  appRole?: string;
  /** Use an in-memory embedded database (tests). */
  memory?: boolean;
};

export async function openDb(opts: OpenOptions): Promise<Db> {
  if (opts.databaseUrl) return openServer(opts.databaseUrl, opts.appRole);
  return openEmbedded(opts.memory ? undefined : join(opts.dataDir, 'db'));
}

async function openEmbedded(dir: string | undefined): Promise<Db> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir ?? 'memory://', {
    parsers: {
      [INT8]: (v: string) => Number(v),
      [DATE]: (v: string) => v,
      [pgliteTypes.NUMERIC]: (v: string) => v,
    },
  });
  const pool = new PGlitePool(db);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) });
  return {
    kysely,
    kind: 'embedded',
    describe: dir ? `embedded PostgreSQL (PGlite) in ${dir}` : 'embedded PostgreSQL (PGlite) in memory',
    async admin(fn) {
      const client = await pool.connect();
      try {
        return await fn(async (sql) => {
          const results = await db.exec(sql);
          return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}

async function openServer(url: string, appRole?: string): Promise<Db> {
  const typeOverrides = new pg.TypeOverrides();
  typeOverrides.setTypeParser(INT8, (v: string) => Number(v));
  typeOverrides.setTypeParser(DATE, (v: string) => v);
  const pool = new pg.Pool({ connectionString: url, max: 10, types: typeOverrides });
  // An idle client can lose its server (restart, terminated backend): pg then emits 'error' on
  // the pool; without a listener that would crash the process. The next checkout reconnects.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL idle client error: ${err.message}`);
  });
  if (appRole) {
    // Each new connection acts as the application role, decided when it connects (the role is
    // created by a migration, which may run after the pool is opened). One statement, queued
    // before the caller's first query on that connection.
    const role = pg.escapeLiteral(appRole);
    const setRole = `do $$ begin if exists (select 1 from pg_roles where rolname = ${role}) and pg_has_role(current_user, ${role}, 'member') then execute format('set role %I', ${role}); end if; end $$`;
    pool.on('connect', (client) => {
      client.query(setRole).catch(() => {});
    });
  }
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = safe.password ? '***' : '';
  return {
    kysely,
    kind: 'server',
    describe: `PostgreSQL server ${safe.toString()}`,
    async admin(fn) {
      // Migrations run as the owner, not the application role.
      const client = new pg.Client({ connectionString: url, types: typeOverrides });
      await client.connect();
      try {
        return await fn(async (sql) => {
          const r = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(r) ? r.at(-1) : r;
          return (last?.rows ?? []) as Record<string, unknown>[];
        });
      } finally {
        await client.end();
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}
