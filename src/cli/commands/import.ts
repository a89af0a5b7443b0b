/**
 * `junheng import --source SOURCE --file FILE [--feed FEED] [--json]`: imports one department
 * file inline (progress on stderr), or `--dir DIR` for a whole synth folder in order.
 */
import type { Command } from 'commander';

type Opts = {
  source?: string;
  file?: string;
  feed?: string;
  dir?: string;
  json?: boolean;
  progress: boolean;
};

export function register(program: Command): void {
  program
    .command('import')
    .description(
      'Import a department file into the registry (validation, linkage, report) / 导入部门数据文件\n' +
        'Prints {"accepted","rejected","updated","unchanged","queuedForReview","rejectsByReason",…}.',
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
      const { openRuntime } = await import('../../server/runtime.ts');
      const { prepareDatabase } = await import('../../server/start.ts');
      const { SYSTEM } = await import('../../server/context.ts');
      const { AppError, toProblem } = await import('../../server/errors.ts');
      const rt = await openRuntime();
      const log = { info: (_o: unknown, _m?: string) => {} };
      const progress = (msg: string) => {
        if (o.progress && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${msg}`);
      };
      try {
        await prepareDatabase(rt, log as never, false);
        const deps = { db: rt.db, cipher: rt.cipher, clock: () => new Date() };
        if (o.dir) {
          const { importFolder } = await import('../../registry/demo.ts');
          const reports = await importFolder(deps, SYSTEM, o.dir, (p) => progress(p.message));
          progress('');
          for (const r of reports) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        if (!o.file || !o.source) throw new Error('import: --source and --file are required (or --dir)');
        const { detectFeed, findFeed, SOURCES } = await import('../../registry/feeds.ts');
        if (!SOURCES.includes(o.source as never)) throw new Error(`import: unknown source ${o.source}`);
        const spec = o.feed ? findFeed(o.feed) : detectFeed(o.source, o.file);
        if (!spec || spec.source !== o.source)
          throw new Error(`import: cannot tell the feed of ${o.file} for ${o.source}; pass --feed`);
        const { importFile } = await import('../../registry/pipeline.ts');
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
          if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
          else process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        } catch (e) {
          progress('');
          if (e instanceof AppError) {
            const p = toProblem(e, 'zh-CN');
            process.stdout.write(`${JSON.stringify({ refused: p.code, messages: p.messages })}\n`);
            process.exitCode = 2;
            return;
          }
          throw e;
        }
      } finally {
        await rt.db.close();
      }
    });
}
