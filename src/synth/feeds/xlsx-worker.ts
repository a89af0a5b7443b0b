/**
 * xlsx feeds are written on a worker thread: exceljs's XML rendering and zip checksums cost
 * about as much as generating the whole city, so a second core does them. The main thread
 * sends rows in batches and waits when too many batches are in flight (bounded memory).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type FeedSpec, feedSpec } from './specs.ts';
import { type Cell, type FeedWriter, type ManifestEntry, XlsxWriter } from './writers.ts';

type ToWorker =
  | { kind: 'open'; feed: string }
  | { kind: 'rows'; feed: string; rows: string }
  | { kind: 'close'; feed: string }
  | { kind: 'exit' };
type FromWorker =
  | { kind: 'ack' }
  | { kind: 'closed'; feed: string; entries: ManifestEntry[] }
  | { kind: 'error'; message: string };

type Init = { role: 'junheng-xlsx'; dir: string; date: string; maxRows?: number };

const BATCH = 2000;
const HIGH_WATER = 8;

/** Path of tsx's ESM register API (its CommonJS twin cannot register ESM hooks in a worker). */
function resolveTsxApi(): string {
  const resolved = createRequire(import.meta.url).resolve('tsx/esm/api');
  return resolved.replace(/\.cjs$/, '.mjs');
}

export class XlsxWorkerPool {
  private readonly worker: Worker;
  private inflight = 0;
  private waiters: Array<() => void> = [];
  private closing = new Map<string, (entries: ManifestEntry[]) => void>();
  private failure: Error | null = null;
  private rejecters = new Set<(e: Error) => void>();

  constructor(dir: string, date: Date, maxRows?: number) {
    const tsxApi = resolveTsxApi();
    const entry = fileURLToPath(import.meta.url);
    const init: Init = { role: 'junheng-xlsx', dir, date: date.toISOString(), maxRows };
    // The worker registers tsx itself (loader hooks are per thread), then loads this module.
    const boot = `const { workerData } = require('node:worker_threads');
      const { pathToFileURL } = require('node:url');
      import(pathToFileURL(workerData.tsxApi).href)
        .then((m) => { m.register(); return import(pathToFileURL(workerData.entry).href); })
        .catch((e) => { console.error(e); process.exit(1); });`;
    this.worker = new Worker(boot, { eval: true, workerData: { ...init, tsxApi, entry } });
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (code !== 0 && !this.failure) this.fail(new Error(`xlsx worker exited with code ${code}`));
    });
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const r of this.rejecters) r(e);
    this.rejecters.clear();
  }

  private onMessage(m: FromWorker): void {
    if (m.kind === 'ack') {
      this.inflight--;
      if (this.inflight <= HIGH_WATER / 2) {
        const w = this.waiters;
        this.waiters = [];
        for (const wake of w) wake();
      }
    } else if (m.kind === 'closed') {
      this.closing.get(m.feed)?.(m.entries);
      this.closing.delete(m.feed);
    } else {
      this.fail(new Error(m.message));
    }
  }

  private wait<T>(register: (resolve: (v: T) => void) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.rejecters.add(reject);
      register((v) => {
        this.rejecters.delete(reject);
        resolve(v);
      });
    });
  }

  send(msg: ToWorker): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    this.worker.postMessage(msg);
    if (msg.kind !== 'rows') return undefined;
    this.inflight++;
    return this.inflight > HIGH_WATER ? this.wait<void>((r) => this.waiters.push(() => r())) : undefined;
  }

  open(spec: FeedSpec): FeedWriter {
    this.send({ kind: 'open', feed: spec.id });
    return new XlsxProxy(this, spec);
  }

  closeFeed(feed: string): Promise<ManifestEntry[]> {
    const p = this.wait<ManifestEntry[]>((r) => this.closing.set(feed, r));
    this.send({ kind: 'close', feed });
    return p;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  async shutdown(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ kind: 'exit' } satisfies ToWorker);
    await exited;
  }
}

// Rows cross the thread boundary as one string per batch (cloning one string is far cheaper
// than cloning thousands of small arrays): cells joined by \u001f, rows by \u001e, null as \u0000.
const CELL = '\u001f';
const ROW = '\u001e';
const NULL = '\u0000';

function packRow(row: Cell[]): string {
  let s = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    s += (i ? CELL : '') + (v === null ? NULL : v);
  }
  return s;
}

function unpackRows(packed: string, numeric: boolean[]): Cell[][] {
  return packed
    .split(ROW)
    .map((line) =>
      line.split(CELL).map((v, i) => (v === NULL ? null : numeric[i] && v !== '' ? Number(v) : v)),
    );
}

class XlsxProxy implements FeedWriter {
  rows = 0;
  private batch = '';
  private count = 0;
  constructor(
    private readonly pool: XlsxWorkerPool,
    private readonly spec: FeedSpec,
  ) {}

  write(row: Cell[]): Promise<void> | undefined {
    this.rows++;
    this.batch += (this.count++ ? ROW : '') + packRow(row);
    if (this.count < BATCH) return undefined;
    const rows = this.batch;
    this.batch = '';
    this.count = 0;
    return this.pool.send({ kind: 'rows', feed: this.spec.id, rows });
  }

  async close(): Promise<ManifestEntry[]> {
    if (this.count > 0) {
      const rows = this.batch;
      this.batch = '';
      this.count = 0;
      await this.pool.send({ kind: 'rows', feed: this.spec.id, rows });
    }
    return this.pool.closeFeed(this.spec.id);
  }
}

// --- worker side ------------------------------------------------------------------------------

if (!isMainThread && (workerData as Init | undefined)?.role === 'junheng-xlsx' && parentPort) {
  const port = parentPort;
  const init = workerData as Init;
  const writers = new Map<string, XlsxWriter>();
  let queue: Promise<void> = Promise.resolve();
  const handle = async (m: ToWorker): Promise<void> => {
    if (m.kind === 'open') {
      writers.set(m.feed, new XlsxWriter(feedSpec(m.feed), init.dir, new Date(init.date), init.maxRows));
    } else if (m.kind === 'rows') {
      const w = writers.get(m.feed)!;
      const numeric = feedSpec(m.feed).columns.map((c) => c.type === 'integer' || c.type === 'decimal');
      for (const row of unpackRows(m.rows, numeric)) {
        const p = w.write(row);
        if (p) await p;
      }
      port.postMessage({ kind: 'ack' } satisfies FromWorker);
    } else if (m.kind === 'close') {
      const entries = await writers.get(m.feed)!.close();
      writers.delete(m.feed);
      port.postMessage({ kind: 'closed', feed: m.feed, entries } satisfies FromWorker);
    } else {
      port.close();
    }
  };
  port.on('message', (m: ToWorker) => {
    queue = queue
      .then(() => handle(m))
      .catch((e: unknown) => {
        port.postMessage({
          kind: 'error',
          message: e instanceof Error ? (e.stack ?? e.message) : String(e),
        } satisfies FromWorker);
      });
  });
}
