import type { Command } from 'commander';

type SynthCliOptions = {
  scale: string;
  seed: string;
  out: string;
  asOf: string;
  templates?: string | boolean;
  faultDetails?: boolean;
  progress: boolean;
};

const DEFAULT_OUT = 'data/generated/synth';
const DEFAULT_TEMPLATES = 'data/feed-templates';

function fail(message: string): never {
  throw new Error(`synth: ${message}`);
}

/** `junheng synth`: writes the synthetic city's department feeds (or their empty templates). */
export function register(program: Command): void {
  program
    .command('synth')
    .description(
      'Generate synthetic Kunming and its department feeds / 生成模拟昆明人口及各部门数据文件\n' +
        'Writes one feed per department (CSV GBK/UTF-8, xlsx, JSON lines), manifest.json, faults.json and summary.json.',
    )
    .option('--scale <n>', 'share of the city: 1.0 = 8.46 M residents, 0.01 for the demo', '0.01')
    .option('--seed <n>', 'random seed (same seed and scale give byte-identical files)', '42')
    .option('--out <dir>', 'output folder', DEFAULT_OUT)
    .option('--as-of <date>', 'last day of events (ISO date, from 2020-11-01)', '2025-12-31')
    .option(
      '--templates [dir]',
      `write empty feed templates (header rows) instead, to dir (default ${DEFAULT_TEMPLATES})`,
    )
    .option('--fault-details', 'also write faults-detail.jsonl (one line per injected fault)')
    .option('--no-progress', 'no progress on stderr')
    .action(async (opts: SynthCliOptions) => {
      if (opts.templates !== undefined) {
        const dir = typeof opts.templates === 'string' ? opts.templates : DEFAULT_TEMPLATES;
        const { writeTemplates } = await import('../../synth/templates.ts');
        const files = await writeTemplates(dir);
        process.stdout.write(`${JSON.stringify({ templates: dir, files }, null, 2)}\n`);
        return;
      }
      const scale = Number(opts.scale);
      if (!Number.isFinite(scale) || scale <= 0 || scale > 2) fail('--scale must be a number in (0, 2]');
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
        fail('--seed must be an integer 0 … 4294967295');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) || opts.asOf < '2020-11-01')
        fail('--as-of must be an ISO date on or after 2020-11-01');

      const { writeCity } = await import('../../synth/write-city.ts');
      const started = performance.now();
      const tty = process.stderr.isTTY === true;
      let lastDraw = 0;
      let lastLine = -1;
      const result = await writeCity({
        seed,
        scale,
        asOf: opts.asOf,
        outDir: opts.out,
        faultDetails: opts.faultDetails === true,
        onProgress: (p) => {
          if (!opts.progress) return;
          const now = performance.now();
          const share = p.phase === 'done' ? 1 : Math.min(0.999, p.persons / Math.max(1, p.expectedPersons));
          const seconds = (now - started) / 1000;
          const rate = Math.round(p.rows / Math.max(0.001, seconds));
          const width = 30;
          const filled = Math.round(share * width);
          const line =
            `synth [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(1).padStart(5)}%` +
            `  area ${p.areaIndex + (p.phase === 'done' ? 0 : 1)}/${p.areaCount}` +
            `  ${p.rows.toLocaleString('en')} rows  ${rate.toLocaleString('en')} rows/s  ${seconds.toFixed(0)}s`;
          if (tty) {
            if (now - lastDraw < 200 && p.phase !== 'done') return;
            lastDraw = now;
            process.stderr.write(`\r${line}${p.phase === 'done' ? '\n' : ''}`);
          } else {
            // Not a terminal: one line per 10%.
            const step = Math.floor(share * 10);
            if (step === lastLine && p.phase !== 'done') return;
            lastLine = step;
            process.stderr.write(`${line}\n`);
          }
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const rows = result.manifest.feeds.reduce((s, f) => s + f.rows, 0);
      const s = result.summary;
      process.stdout.write(
        `${JSON.stringify(
          {
            out: opts.out,
            seed,
            scale,
            asOf: opts.asOf,
            seconds: Number(seconds.toFixed(1)),
            files: result.manifest.feeds.length,
            rows,
            census: {
              population: s.census.population,
              sexRatio: s.census.sexRatio,
              share0to14: s.census.share0to14,
              share65plus: s.census.share65plus,
              familyHouseholds: s.census.familyHouseholds,
              collectiveHouseholds: s.census.collectiveHouseholds,
            },
            births: s.births,
            sexRatioAtBirth: s.sexRatioAtBirth,
            birthOrderShares: s.birthOrderShares,
            imr: s.imr,
            u5mr: s.u5mr,
            mmr: s.mmr,
            yearEndPopulation: s.yearEndPopulation,
            faults: result.faults.totals,
          },
          null,
          2,
        )}\n`,
      );
    });
}
