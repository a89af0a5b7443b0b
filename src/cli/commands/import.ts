/**
 * `junheng import --source SOURCE --file FILE [--feed FEED] [--json]`: imports one department
 * file inline (progress on stderr), or `--dir DIR` for a whole synth folder in order.
 *
 * Every outcome is told in Chinese and English: a wrong command line (unknown source or feed, a
 * file or folder that is not there, a file of another department, `--dir` with `--source`,
 * `--file` or `--feed`) exits 2 with `{"error", "messages"}` (stdout with --json, else the two
 * messages on stderr); a refused file exits 2 with `{"refused", "line", "file", "feed",
 * "messages"}`; an import prints its report, with the rejected rows (line, column, reason) in
 * `rejects`. `--dir` prints one line per file, a refused file's refusal in its place, goes on
 * with the next files (a refused file wrote nothing) and exits 2 at the end if one was refused.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';

type Opts = {
  source?: string;
  file?: string;
  feed?: string;
  dir?: string;
  json?: boolean;
  progress: boolean;
};

type Messages = { 'zh-CN': string; en: string };

/** Exit code of a wrong command line and of a refused file. */
const EXIT_USAGE = 2;
const EXIT_REFUSED = 2;

/** Rejected rows listed in the printed report (all of them: the upload page's list, or its Excel). */
const REJECTS_LISTED = 1000;

/** A command-line mistake, told in both languages. */
class UsageError extends Error {
  constructor(
    readonly code: string,
    readonly messages: Messages,
  ) {
    super(messages.en);
  }
}

const usage = (code: string, zh: string, en: string) => new UsageError(code, { 'zh-CN': zh, en });

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'Import a department file into the registry (validation, linkage, report) / 导入部门数据文件\n' +
        'Prints {"accepted","rejected","updated","unchanged","queuedForReview","rejectsByReason",…,"rejects"}.',
    )
    .option(
      '--source <source>',
      'police | health | medical-insurance | social-security | civil-affairs | education | housing-fund',
    )
    .option('--file <file>', 'the file (CSV, xlsx or JSON lines, per the feed template)')
    .option('--feed <feed>', 'feed id (default: from the file name, e.g. police-hukou.csv)')
    .option('--dir <dir>', 'import every feed found in a folder written by `junheng synth`, in order')
    .option('--json', 'print the report as one JSON line')
    .option('--no-progress', 'no progress on stderr')
    .action(async (o: Opts) => {
      try {
        await run(o);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        if (o.json) process.stdout.write(`${JSON.stringify({ error: e.code, messages: e.messages })}\n`);
        else process.stderr.write(`${e.messages['zh-CN']}\n${e.messages.en}\n`);
        process.exitCode = EXIT_USAGE;
      }
    });
}

/** The feed of `--source`/`--file`/`--feed`, or a UsageError saying what is wrong. */
async function feedOf(o: Opts & { source: string; file: string }) {
  const { feedNamedBy, feedsOf, findFeed, SOURCES } = await import('../../registry/feeds.ts');
  const { feedOfFile } = await import('../../registry/reader.ts');
  const source = o.source;
  if (!SOURCES.includes(source as never))
    throw usage(
      'import.source_unknown',
      `没有这个数据来源：${source}（可选：${SOURCES.join('、')}）`,
      `import: unknown source ${source} (one of ${SOURCES.join(', ')})`,
    );
  const ids = feedsOf(source)
    .map((f) => f.id)
    .join(', ');
  if (o.feed) {
    const spec = findFeed(o.feed);
    if (!spec)
      throw usage(
        'import.feed_unknown',
        `没有这个数据接口：${o.feed}（${source} 的数据接口：${ids}）`,
        `import: unknown feed ${o.feed} (the feeds of ${source}: ${ids})`,
      );
    if (spec.source !== source)
      throw usage(
        'import.feed_source',
        `数据接口 ${spec.id} 属于来源 ${spec.source}，不是 ${source}（${source} 的数据接口：${ids}）`,
        `import: feed ${spec.id} belongs to source ${spec.source}, not ${source} (the feeds of ${source}: ${ids})`,
      );
    return spec;
  }
  // A file named after another department's feed (police-hukou.csv with --source health).
  const named = feedNamedBy(o.file);
  if (named && named.source !== source)
    throw usage(
      'import.feed_source',
      `文件 ${basename(o.file)} 是 ${named.source}（${named.department}）的 ${named.id} 数据，不是 ${source} 的；请核对 --source，或用 --feed 指定数据接口（${source} 的数据接口：${ids}）`,
      `import: ${basename(o.file)} is the ${named.id} feed of ${named.source}, not of ${source}; check --source, or name the feed with --feed (the feeds of ${source}: ${ids})`,
    );
  let spec: Awaited<ReturnType<typeof feedOfFile>>;
  try {
    spec = await feedOfFile(source, o.file);
  } catch (err) {
    // Reading the header failed outright (no permission, a device error): say why.
    const { unreadableReason } = await import('../../rules/load.ts');
    const why = unreadableReason(err);
    throw usage(
      'import.file_unreadable',
      `无法读取文件 ${basename(o.file)}：${why.zh}`,
      `import: cannot read ${basename(o.file)}: ${why.en}`,
    );
  }
  if (!spec)
    throw usage(
      'import.feed_unknown',
      `无法从文件名或表头判断 ${basename(o.file)} 是 ${source} 的哪个数据接口，请用 --feed 指定（${ids}）`,
      `import: cannot tell the feed of ${basename(o.file)} for ${source} from its name or header; pass --feed (one of ${ids})`,
    );
  return spec;
}

/** `--dir` with options it would ignore (they name one file; the folder names its own). */
function ignoredWithDir(o: Opts): string[] {
  return [o.source && '--source', o.file && '--file', o.feed && '--feed'].filter((x): x is string => !!x);
}

async function run(o: Opts): Promise<void> {
  if (o.dir) {
    const ignored = ignoredWithDir(o);
    if (ignored.length)
      throw usage(
        'import.usage',
        `--dir 不能与 ${ignored.join('、')} 同时使用（--dir 导入文件夹里的全部数据文件；导入单个文件请用 --source 和 --file）`,
        `import: --dir cannot be used with ${ignored.join(', ')} (--dir imports every feed file of the folder; for one file use --source and --file)`,
      );
    const st = await stat(o.dir).catch(() => null);
    if (!st)
      throw usage('import.dir_not_found', `找不到文件夹：${o.dir}`, `import: no such folder: ${o.dir}`);
    if (!st.isDirectory())
      throw usage('import.not_a_dir', `${o.dir} 不是文件夹`, `import: ${o.dir} is not a folder`);
    const { feedFilesInOrder, IMPORT_ORDER } = await import('../../registry/demo.ts');
    if ((await feedFilesInOrder(o.dir)).length === 0) {
      const { findFeed } = await import('../../registry/feeds.ts');
      const names = IMPORT_ORDER.map((id) => findFeed(id)?.file).join(', ');
      throw usage(
        'import.no_feeds',
        `文件夹 ${o.dir} 中没有可识别的数据文件：文件名应为 ${names}（xlsx 可分为 名称-001.xlsx 等多个文件；见 docs/feeds.md）`,
        `import: the folder ${o.dir} holds no feed files: they are named ${names} (xlsx may be split into name-001.xlsx, …; see docs/feeds.md)`,
      );
    }
  } else if (!o.file || !o.source)
    throw usage(
      'import.usage',
      '请同时指定 --source 和 --file（或用 --dir 导入整个文件夹）',
      'import: --source and --file are required (or --dir)',
    );
  let spec: Awaited<ReturnType<typeof feedOf>> | null = null;
  if (!o.dir && o.file && o.source) {
    const file = o.file;
    const st = await stat(file).catch(() => null);
    if (!st) throw usage('import.file_not_found', `找不到文件：${file}`, `import: no such file: ${file}`);
    if (!st.isFile())
      throw usage('import.not_a_file', `${file} 不是文件（是文件夹？）`, `import: ${file} is not a file`);
    spec = await feedOf({ ...o, source: o.source, file });
  }
  const { openRuntime } = await import('../../server/runtime.ts');
  const { prepareDatabase } = await import('../../server/start.ts');
  const { SYSTEM } = await import('../../server/context.ts');
  const { AppError, toProblem } = await import('../../server/errors.ts');
  const { importFile } = await import('../../registry/pipeline.ts');
  const rt = await openRuntime();
  const log = { info: (_o: unknown, _m?: string) => {} };
  const progress = (msg: string) => {
    if (o.progress && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${msg}`);
  };
  /** A file refused whole (it wrote nothing), told as `--file` and `--dir` both print it. */
  const refusal = (e: InstanceType<typeof AppError>, file: string, feed: string) => {
    const p = toProblem(e, 'zh-CN');
    const line = Number(e.params.line ?? 0);
    return {
      refused: p.code,
      ...(line > 0 ? { line } : {}),
      file: basename(file),
      feed,
      messages: p.messages,
    };
  };
  try {
    await prepareDatabase(rt, log as never, false);
    const deps = { db: rt.db, cipher: rt.cipher, clock: () => new Date() };
    if (o.dir) {
      // A refused file is told in its place, and the next files are still imported.
      const { importFolder } = await import('../../registry/demo.ts');
      const refused: Array<ReturnType<typeof refusal>> = [];
      let files = 0;
      await importFolder(
        deps,
        SYSTEM,
        o.dir,
        (p) => progress(p.message),
        (f) => {
          files++;
          progress('');
          if (f.refused) {
            const r = refusal(f.refused, f.file, f.spec.id);
            refused.push(r);
            process.stdout.write(`${JSON.stringify(r)}\n`);
          } else process.stdout.write(`${JSON.stringify(f.report)}\n`);
        },
      );
      if (refused.length === 0) return;
      if (!o.json) {
        const each = refused.flatMap((r) => [
          `${r.file}：${r.messages['zh-CN']}`,
          `${r.file}: ${r.messages.en}`,
        ]);
        const names = refused.map((r) => r.file);
        const others = refused.length < files;
        process.stderr.write(
          `${[
            ...each,
            `导入结束：${files} 个文件中 ${refused.length} 个被拒绝（${names.join('、')}；被拒绝的文件没有写入任何数据）${others ? '，其余文件已导入' : ''}`,
            `import: ${refused.length} of ${files} files refused (${names.join(', ')}; a refused file wrote nothing)${others ? ', the others imported' : ''}`,
          ].join('\n')}\n`,
        );
      }
      process.exitCode = EXIT_REFUSED;
      return;
    }
    if (!spec || !o.file) return;
    const started = performance.now();
    try {
      const r = await importFile(deps, SYSTEM, {
        feedId: spec.id,
        file: o.file,
        onProgress: (p) => {
          const pct = p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0;
          const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
          progress(`[${bar}] ${pct}% ${p.rows} rows (${Math.round(performance.now() - started)} ms)`);
        },
      });
      progress('');
      const report = {
        ...r,
        ...(await rejectsOf(rt.db.kysely, spec, r.importId ?? r.previousImportId, r.rejected)),
      };
      if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } catch (e) {
      progress('');
      if (!(e instanceof AppError)) throw e;
      process.stdout.write(`${JSON.stringify(refusal(e, o.file, spec.id))}\n`);
      process.exitCode = EXIT_REFUSED;
    }
  } finally {
    await rt.db.close();
  }
}

type Kysely = import('kysely').Kysely<import('../../db/schema.ts').Database>;
type Spec = import('../../registry/feeds.ts').FeedSpec;

/** The import's rejected rows, first by line: where, which column and why (record ids masked). */
async function rejectsOf(db: Kysely, spec: Spec, importId: number | null | undefined, rejected: number) {
  if (!importId || rejected === 0) return {};
  const { reasonMessage } = await import('../../registry/feeds.ts');
  const { maskIdsIn } = await import('../../registry/privacy.ts');
  // The query of the server's rejects endpoint (GET /imports/:id/rejects).
  const store = await import('../../server/modules/imports/store.ts');
  const rows = await db.transaction().execute((trx) => store.rejects(trx, importId, 0, REJECTS_LISTED));
  const rejects = rows.map((r) => {
    const header = spec.columns.find((c) => c.key === r.column_key)?.header ?? null;
    const m = reasonMessage(r.reason);
    return {
      line: r.line_no,
      recordId: r.record_id === null ? null : maskIdsIn(r.record_id),
      reason: r.reason,
      column: r.column_key,
      header,
      messages: {
        'zh-CN': `第 ${r.line_no} 行${header ? `「${header}」` : ''}：${m['zh-CN']}`,
        en: `line ${r.line_no}${header ? `, ${header} (${r.column_key})` : ''}: ${m.en}`,
      },
    };
  });
  return rejected > rows.length ? { rejects, rejectsNotListed: rejected - rows.length } : { rejects };
}
