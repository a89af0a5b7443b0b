/** Department uploads: accept a file, queue its import, report progress, results and rejects. */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { enqueue } from '../../../jobs/queue.ts';
import { findFeed, reasonMessage } from '../../../registry/feeds.ts';
import { type FileOut, rejectsWorkbook, templateOf } from '../../../registry/files.ts';
import { IMPORT_QUEUE, type ImportJobPayload, kickImportJobs, snapshotOf } from '../../../registry/jobs.ts';
import { maySubmit } from '../../../registry/pipeline.ts';
import { maskIdsIn } from '../../../registry/privacy.ts';
import type { Actor, Ctx } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { ServerDeps } from '../../http.ts';
import * as store from './store.ts';

/** Largest accepted upload (a full-scale police file is about 2 GB). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

function feedOrThrow(feedId: string) {
  const spec = findFeed(feedId);
  if (!spec) throw new AppError('import.feed_unknown', { feed: feedId });
  return spec;
}

export async function template(feedId: string): Promise<FileOut> {
  return templateOf(feedOrThrow(feedId));
}

/** Stores the upload and queues its import; the same file from the same person is one job. */
export async function submit(
  deps: ServerDeps,
  actor: Actor,
  requestId: string,
  q: { feed: string; fileName?: string },
  body: unknown,
): Promise<{ id: number; created: boolean }> {
  const spec = feedOrThrow(q.feed);
  if (!maySubmit(actor, spec.source)) throw new AppError('import.source_forbidden', { source: spec.source });
  const stream = body as Readable | null;
  if (!stream || typeof (stream as { pipe?: unknown }).pipe !== 'function')
    throw new AppError('import.file_required');
  const dir = join(deps.config.dataDir, 'imports');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  let size = 0;
  stream.on('data', (b: Buffer) => {
    size += b.length;
    hash.update(b);
    if (size > MAX_UPLOAD_BYTES) stream.destroy(new AppError('request.too_large'));
  });
  try {
    await pipeline(stream, createWriteStream(file, { mode: 0o600 }));
  } catch (e) {
    await rm(file, { force: true });
    throw e instanceof AppError ? e : new AppError('import.file_required');
  }
  if (size === 0) {
    await rm(file, { force: true });
    throw new AppError('import.file_required');
  }
  const payload: ImportJobPayload = {
    feedId: spec.id,
    source: spec.source,
    file,
    fileName: (q.fileName ?? spec.file).replace(/[\\/]/g, '_'),
    actor: snapshotOf(actor),
    requestId,
  };
  const job = await enqueue(deps.db.kysely, IMPORT_QUEUE, payload as unknown as Record<string, unknown>, {
    idempotencyKey: `import:${spec.id}:${actor.userId}:${hash.digest('hex')}`,
    maxAttempts: 3,
    createdBy: actor.userId,
  });
  if (!job.created) await rm(file, { force: true });
  void kickImportJobs(deps);
  return job;
}

type JobResult = {
  status?: string;
  report?: Record<string, unknown>;
  error?: { code: string; messages: { 'zh-CN': string; en: string } };
};

function statusView(j: NonNullable<Awaited<ReturnType<typeof store.findJob>>>) {
  const p = j.payload as unknown as ImportJobPayload;
  const result = (j.result ?? null) as JobResult | null;
  const state = j.state === 'succeeded' && result?.status === 'refused' ? 'refused' : j.state;
  return {
    id: j.id,
    state,
    feed: p.feedId,
    source: p.source,
    fileName: p.fileName,
    submittedBy: p.actor?.displayName ?? null,
    areaCode: p.actor?.areaCode ?? null,
    createdAt: new Date(j.created_at).toISOString(),
    progress: (j.progress ?? null) as { done: number; total?: number; message?: string } | null,
    report: (result?.report ?? null) as never,
    error:
      result?.error ??
      (j.state === 'failed'
        ? { code: 'internal.error', messages: { 'zh-CN': '导入失败', en: 'The import failed' } }
        : null),
  };
}

export async function status(ctx: Ctx, id: number) {
  const j = await store.findJob(ctx.trx, ctx.actor, id);
  if (!j) throw new AppError('import.not_found');
  return statusView(j);
}

export async function list(ctx: Ctx, limit: number) {
  return (await store.listJobs(ctx.trx, ctx.actor, limit)).map(statusView);
}

async function batchOf(ctx: Ctx, id: number) {
  const j = await store.findJob(ctx.trx, ctx.actor, id);
  if (!j) throw new AppError('import.not_found');
  const b = await store.batchOfJob(ctx.trx, id);
  if (!b) throw new AppError('import.not_found');
  return { job: j, batch: b };
}

export async function rejects(ctx: Ctx, id: number, offset: number, limit: number) {
  const { batch } = await batchOf(ctx, id);
  const rows = await store.rejects(ctx.trx, batch.id, offset, limit);
  ctx.audit({
    action: 'import.rejects_read',
    subjectType: 'import',
    subjectId: id,
    outcome: 'success',
    details: { rows: rows.length },
  });
  return {
    total: batch.rejected,
    rejects: rows.map((r) => ({
      line: r.line_no,
      recordId: r.record_id === null ? null : maskIdsIn(r.record_id),
      reason: r.reason,
      message: reasonMessage(r.reason),
      column: r.column_key,
      values: r.row_values as Record<string, string | null>,
    })),
  };
}

export async function rejectsXlsx(ctx: Ctx, id: number): Promise<FileOut> {
  const { batch } = await batchOf(ctx, id);
  const spec = feedOrThrow(batch.feed_id);
  const rows = await store.rejects(ctx.trx, batch.id, 0, 1_048_000);
  ctx.audit({
    action: 'import.rejects_export',
    subjectType: 'import',
    subjectId: id,
    outcome: 'success',
    details: { rows: rows.length },
  });
  return rejectsWorkbook(
    spec,
    batch.id,
    rows.map((r) => ({
      ...r,
      record_id: r.record_id === null ? null : maskIdsIn(r.record_id),
      row_values: r.row_values as Record<string, unknown>,
    })),
  );
}
