import type { Command } from 'commander';

/**
 * `junheng simulate`: budget totals by programme, area and year over a population (JSON lines,
 * CSV, or a deterministic synthetic city), optionally against a reform overlay.
 */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('Budget simulation and what-if reforms / 预算测算与政策调整模拟')
    .option(
      '--population <file>',
      'population: .jsonl (families) or .csv (one row per child), see docs/rules.md; or "db" for the registry (DATABASE_URL / JUNHENG_DATA_DIR)',
    )
    .option('--synthetic <n>', 'generate a deterministic synthetic population of n people instead')
    .option('--seed <s>', 'seed for --synthetic', '20250101')
    .option('--year <years>', 'year, list or range: 2025, 2024,2025 or 2023-2027', '2025')
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
        const { readFileSync, createReadStream } = await import('node:fs');
        const { createInterface } = await import('node:readline');
        const { loadParameters, loadReform } = await import('../../rules/load.ts');
        const { ColumnsBuilder } = await import('../../rules/batch.ts');
        const { addCsv, addJsonLine, syntheticPopulation } = await import('../../rules/population.ts');
        const { simulate } = await import('../../rules/simulate.ts');
        const fail = (en: string, zh: string) => {
          process.stderr.write(`${en} / ${zh}\n`);
          process.exitCode = 2;
        };
        const years: number[] = [];
        for (const part of opts.year.split(',')) {
          const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part.trim());
          if (!m) return fail(`invalid --year: ${part}`, `年份无效：${part}`);
          const a = Number(m[1]);
          const b = Number(m[2] ?? m[1]);
          if (b < a || b - a > 50) return fail(`invalid --year range: ${part}`, `年份范围无效：${part}`);
          for (let y = a; y <= b; y++) years.push(y);
        }
        const current = loadParameters();
        let reform: ReturnType<typeof loadParameters> | undefined;
        if (opts.reform) {
          try {
            reform = loadReform(current, opts.reform);
          } catch (err) {
            return fail(`invalid reform: ${(err as Error).message}`, '政策调整文件无效');
          }
        }
        const t0 = performance.now();
        let cols: import('../../rules/batch.ts').PopulationColumns;
        if (opts.synthetic) {
          const n = Number(opts.synthetic);
          if (!Number.isInteger(n) || n <= 0)
            return fail('--synthetic needs a positive integer', '--synthetic 需为正整数');
          process.stderr.write(`generating ${n} people (seed ${opts.seed})…\n`);
          cols = syntheticPopulation({ persons: n, seed: Number(opts.seed) });
        } else if (opts.population === 'db') {
          const { openRuntime } = await import('../../server/runtime.ts');
          const { registryPopulation } = await import('../../server/modules/budget/registry-population.ts');
          const rt = await openRuntime();
          try {
            process.stderr.write(`reading the registry from ${rt.db.describe}…\n`);
            cols = await registryPopulation(rt.db.kysely);
          } finally {
            await rt.db.close();
          }
        } else if (opts.population) {
          const b = new ColumnsBuilder();
          const issues: Array<{
            line: number;
            path: string;
            code: string;
            message: { zh: string; en: string };
          }> = [];
          if (opts.population.endsWith('.csv')) {
            issues.push(...addCsv(b, readFileSync(opts.population, 'utf8')));
          } else {
            const rl = createInterface({
              input: createReadStream(opts.population),
              crlfDelay: Number.POSITIVE_INFINITY,
            });
            let n = 0;
            for await (const line of rl) {
              n++;
              if (issues.length < 100) issues.push(...addJsonLine(b, line, n));
              if (n % 500_000 === 0) process.stderr.write(`read ${n} lines…\n`);
            }
          }
          if (issues.length) {
            for (const i of issues.slice(0, 20)) {
              process.stderr.write(
                `line ${i.line} ${i.path}: ${i.code} — ${i.message.en} / ${i.message.zh}\n`,
              );
            }
            return fail('invalid population file', '人口文件无效');
          }
          cols = b.build();
        } else {
          return fail('give --population FILE or --synthetic N', '请指定 --population 或 --synthetic');
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
              `  reform: cash ${yuan(y.reform.cashTotalFen)} yuan (${y.reform.difference.cashTotalFen >= 0 ? '+' : ''}${yuan(y.reform.difference.cashTotalFen)}), families gaining ${y.reform.familiesGaining}, losing ${y.reform.familiesLosing}\n`,
            );
          }
        }
      },
    );
}
