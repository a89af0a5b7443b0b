/**
 * Applies `migrations/NNNN_name.sql` in order, each in its own transaction, recording version
 * and checksum; a changed, already-applied file is an error (migrations are append-only).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './connection.ts';

const dir = new URL('./migrations/', import.meta.url);

export type Migration = { version: number; name: string; sql: string; checksum: string };

export function listMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/** Applies pending migrations on one owner connection; returns the names applied. */
export async function migrate(db: Db): Promise<string[]> {
  return db.admin(async (run) => {
    await run(`create table if not exists schema_migration (
      version integer primary key, name text not null, checksum text not null,
      applied_at timestamptz not null default now())`);
    // Serialise concurrent migrators on a server.
    await run('select pg_advisory_lock(4242001)');
    const applied: string[] = [];
    try {
      const done = await run('select version, checksum from schema_migration');
      const byVersion = new Map(done.map((m) => [Number(m.version), String(m.checksum)]));
      for (const m of listMigrations()) {
        const prior = byVersion.get(m.version);
        if (prior !== undefined) {
          if (prior !== m.checksum)
            throw new Error(`migration ${m.version}_${m.name} was changed after it was applied`);
          continue;
        }
        const name = m.name.replaceAll("'", "''");
        try {
          await run(
            `begin;\n${m.sql}\n;insert into schema_migration (version, name, checksum) values (${m.version}, '${name}', '${m.checksum}');\ncommit;`,
          );
        } catch (err) {
          await run('rollback').catch(() => {});
          throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(`${m.version}_${m.name}`);
      }
    } finally {
      await run('select pg_advisory_unlock(4242001)');
    }
    return applied;
  });
}

/** Drops every object of the public schema (for `junheng db reset`). */
export async function resetSchema(db: Db): Promise<void> {
  await db.admin((run) => run('drop schema public cascade; create schema public;'));
}
