import type { Command } from 'commander';

/**
 * `junheng simulate`: budget totals by programme, area and year over a population (JSON lines,
 * CSV, the registry, or a deterministic synthetic city), optionally against a reform overlay.
 * stdout carries the answer only (one JSON document with --json). Bad input exits 2 with nothing
 * on stdout and, on stderr, each problem (file, line or field, why) in English and Chinese;
 * progress lines go to stderr too.
 */

/** One problem with the command's input: where (file, line, field) and why, in both languages. */
interface Problem {
  where: string;
  en: string;
  zh: string;
}

/** Largest --synthetic population: ten times Kunming, far more than any budget question needs. */
const MAX_SYNTHETIC = 100_000_000;
/** Problems printed; the rest are counted. */
const SHOWN = 20;

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Budget simulation and what-if reforms / 预算测算与政策调整模拟')
    .option(
      '--population <file>',
      'population: .jsonl (families) or .csv (one row per child), see docs/rules.md; or "db" for the registry (DATABASE_URL / JUNHENG_DATA_DIR)',
    )
    .option('--synthetic <n>', 'generate a deterministic synthetic population of n people instead')
    .option('--seed <s>', 'seed for --synthetic (a whole number)', '20250101')
    .option('--year <years>', 'year, list or range in 2020–2035: 2025, 2024,2025 or 2023-2027', '2025')
    .option('--reform <file>', 'reform overlay (YAML), e.g. policy/reforms/third-child-10000.yaml')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        population?: string;
        synthetic?: string;
        seed: string;
        year: string;
        reform?: string;
        json?: boolean;
      }) => {
        const { createReadStream } = await import('node:fs');
        const { createInterface } = await import('node:readline');
        const { loadParameters, loadReform, ReformFileError, unreadableReason } = await import(
          '../../rules/load.ts'
        );
        const { ColumnsBuilder } = await import('../../rules/batch.ts');
        const { MAX_SEED, populationReader, readPopulation, syntheticPopulation } = await import(
          '../../rules/population.ts'
        );
        const { parseYears, simulate } = await import('../../rules/simulate.ts');
        /** Print the problems and a summary line on stderr; exit 2; nothing on stdout. */
        const fail = (problems: Problem[], summary: { en: string; zh: string }, more = 0) => {
          for (const p of problems.slice(0, SHOWN)) {
            process.stderr.write(`${p.where ? `${p.where}: ` : ''}${p.en} / ${p.zh}\n`);
          }
          const hidden = problems.length - Math.min(problems.length, SHOWN) + more;
          if (hidden > 0) process.stderr.write(`… ${hidden} more / 另有 ${hidden} 处\n`);
          process.stderr.write(`error: ${summary.en} / 错误：${summary.zh}\n`);
          process.exitCode = 2;
        };
        const usage = (en: string, zh: string) => fail([], { en, zh });

        // Options first: nothing is read before they are known to be usable.
        const y = parseYears(opts.year);
        if (!y.ok) return usage(y.message.en, y.message.zh);
        const years = y.years;
        if (opts.population !== undefined && opts.synthetic !== undefined) {
          return usage(
            'give either --population or --synthetic, not both',
            '--population 与 --synthetic 只能指定其一',
          );
        }
        if (opts.population === undefined && opts.synthetic === undefined) {
          return usage(
            'give --population FILE|db or --synthetic N',
            '请指定 --population 文件|db 或 --synthetic 人数',
          );
        }
        let persons = 0;
        let seed = 0;
        if (opts.synthetic !== undefined) {
          persons = opts.synthetic.trim() === '' ? Number.NaN : Number(opts.synthetic);
          if (!Number.isInteger(persons) || persons < 1 || persons > MAX_SYNTHETIC) {
            return usage(
              `--synthetic must be a whole number of people from 1 to ${MAX_SYNTHETIC}, got ${JSON.stringify(opts.synthetic)}`,
              `--synthetic 应为 1 至 ${MAX_SYNTHETIC} 的整数人数，实际为 ${JSON.stringify(opts.synthetic)}`,
            );
          }
          seed = opts.seed.trim() === '' ? Number.NaN : Number(opts.seed);
          if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_SEED) {
            return usage(
              `--seed must be a whole number from 0 to ${MAX_SEED}, got ${JSON.stringify(opts.seed)}`,
              `--seed 应为 0 至 ${MAX_SEED} 的整数，实际为 ${JSON.stringify(opts.seed)}`,
            );
          }
        }

        const current = loadParameters();
        let reform: ReturnType<typeof loadParameters> | undefined;
        if (opts.reform !== undefined) {
          try {
            reform = loadReform(current, opts.reform);
          } catch (err) {
            if (!(err instanceof ReformFileError)) throw err;
            return fail(
              err.issues.map((i) => ({
                where: i.path ? `${err.file}: ${i.path}` : err.file,
                en: i.message.en,
                zh: i.message.zh,
              })),
              { en: `invalid reform file ${err.file}`, zh: `政策调整文件无效：${err.file}` },
            );
          }
        }

        const t0 = performance.now();
        let cols: import('../../rules/batch.ts').PopulationColumns;
        if (opts.synthetic !== undefined) {
          process.stderr.write(`generating ${persons} people (seed ${seed})…\n`);
          cols = syntheticPopulation({ persons, seed });
        } else if (opts.population === 'db') {
          const { openRuntime } = await import('../../server/runtime.ts');
          const { registryPopulation } = await import('../../server/modules/budget/registry-population.ts');
          let where = 'the registry';
          try {
            const rt = await openRuntime();
            where = rt.db.describe;
            try {
              process.stderr.write(`reading the registry from ${rt.db.describe}…\n`);
              cols = await registryPopulation(rt.db.kysely);
            } finally {
              await rt.db.close();
            }
          } catch (err) {
            const why = err instanceof Error ? err.message : String(err);
            return fail([{ where, en: `database error: ${why}`, zh: `数据库错误：${why}` }], {
              en: 'cannot read the registry (is the database reachable and migrated? `junheng db migrate`, then `junheng import`)',
              zh: '无法读取人口登记库（数据库是否可连接、是否已迁移？先运行 `junheng db migrate`，再 `junheng import`）',
            });
          }
          if (cols.personCount === 0) {
            return fail([{ where, en: 'the registry holds no people', zh: '人口登记库中没有人员记录' }], {
              en: "nothing to simulate: import the departments' feeds first (`junheng import`)",
              zh: '没有可测算的人口：请先导入各部门数据（`junheng import`）',
            });
          }
        } else {
          const file = opts.population as string;
          const unreadable = ({ en, zh }: { en: string; zh: string }) =>
            fail([{ where: file, en, zh }], {
              en: `cannot read the population file ${file}`,
              zh: `无法读取人口文件：${file}`,
            });
          const b = new ColumnsBuilder();
          const reader = populationReader(file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl', b);
          let read: import('../../rules/population.ts').PopulationRead;
          try {
            const input = createReadStream(file, { encoding: 'utf8' });
            const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
            read = await readPopulation(lines, reader, (n) => process.stderr.write(`read ${n} lines…\n`));
          } catch (err) {
            return unreadable(unreadableReason(err));
          }
          const { issues, lines: n, stopped } = read;
          if (issues.length) {
            const problems = issues.map((i) => ({
              where: `${file}:${i.line}${i.path ? ` ${reader.field(i)}` : ''} (${i.code})`,
              en: i.message.en,
              zh: i.message.zh,
            }));
            const format = reader.label;
            return fail(problems, {
              en: `invalid population file ${file} (${format}, see docs/rules.md)${stopped ? `; stopped reading at line ${n} after ${issues.length} problems` : ''}`,
              zh: `人口文件无效：${file}（${format}，格式见 docs/rules.md）${stopped ? `；发现 ${issues.length} 处问题，已在第 ${n} 行停止读取` : ''}`,
            });
          }
          cols = b.build();
        }
        process.stderr.write(
          `population: ${cols.personCount} people, ${cols.familyCount} families, ${cols.childCount} children (${Math.round(performance.now() - t0)} ms)\n`,
        );
        const rep = simulate(cols, current, years, reform, (d, t) =>
          process.stderr.write(`evaluated ${d}/${t}\n`),
        );
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rep, null, 2)}\n`);
          return;
        }
        const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { maximumFractionDigits: 0 });
        for (const y of rep.years) {
          process.stdout.write(`\n${y.current.year}: cash ${yuan(y.current.cashTotalFen)} yuan\n`);
          for (const [p, v] of Object.entries(y.current.programmes)) {
            const amt = v.unit.startsWith('fen') ? `${yuan(v.amount)} yuan` : `${v.amount} ${v.unit}`;
            process.stdout.write(`  ${p.padEnd(36)} ${String(v.eligible).padStart(9)} eligible  ${amt}\n`);
          }
          if (y.reform) {
            process.stdout.write(
              `  reform: cash ${yuan(y.reform.cashTotalFen)} yuan (${y.reform.difference.cashTotalFen >= 0 ? '+' : ''}${yuan(y.reform.difference.cashTotalFen)}), families gaining ${y.reform.familiesGaining}, losing ${y.reform.familiesLosing} (by cash)\n`,
            );
          }
        }
      },
    );
}
