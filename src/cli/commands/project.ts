/**
 * `junheng project`: the cohort-component projection of shared/specs/projection.md from a JSON
 * input file. JSON (default) goes to stdout as one document and nothing else; CSV to stdout or
 * --out; XLSX to --out. Invalid input, an unreadable file or bad JSON: exit 2, the reason on
 * stderr, nothing on stdout. The library is imported inside the action so other commands do not
 * load it.
 */
import type { Command } from 'commander';
import type { ProbabilisticOutput, ProjectionOutput } from '../../demography/index.ts';

type Options = {
  input: string;
  json?: boolean;
  trajectories?: string;
  seed?: string;
  format?: string;
  out?: string;
};

type Report = ProjectionOutput & { probabilistic?: ProbabilisticOutput };

/** Writes the reason(s) to stderr and sets exit code 2 (stdout untouched). */
function fail(lines: string[]): void {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exitCode = 2;
}

const ageLabel = (x: number, openAge: number) => (x === openAge ? `${openAge}+` : String(x));

/** CSV of the population by year, sex and age, base year included (RFC 4180, LF line ends). */
function toCsv(
  input: { baseYear: number; openAge: number; population: { female: number[]; male: number[] } },
  report: Report,
): string {
  const lines = ['year,sex,age,population'];
  const emit = (year: number, pop: { female: number[]; male: number[] }) => {
    for (const sex of ['female', 'male'] as const)
      pop[sex].forEach((v, x) => {
        lines.push(`${year},${sex},${ageLabel(x, input.openAge)},${v}`);
      });
  };
  emit(input.baseYear, input.population);
  for (const y of report.years) emit(y.year, y.population);
  return `${lines.join('\n')}\n`;
}

async function writeXlsx(
  file: string,
  input: { baseYear: number; openAge: number; population: { female: number[]; male: number[] } },
  report: Report,
): Promise<void> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Junheng 均衡';
  const summary = wb.addWorksheet('Summary 概要');
  summary.addRow([
    'year',
    'population',
    'births female',
    'births male',
    'births total',
    'deaths female',
    'deaths male',
    'net migration female',
    'net migration male',
    'TFR',
    'e0 female',
    'e0 male',
  ]);
  for (const y of report.years) {
    const total =
      y.population.female.reduce((a, b) => a + b, 0) + y.population.male.reduce((a, b) => a + b, 0);
    summary.addRow([
      y.year,
      total,
      y.births.female,
      y.births.male,
      y.births.total,
      y.deaths.female,
      y.deaths.male,
      y.netMigration.female,
      y.netMigration.male,
      y.tfr,
      y.e0.female,
      y.e0.male,
    ]);
  }
  for (const sex of ['female', 'male'] as const) {
    const ws = wb.addWorksheet(sex === 'female' ? 'Female 女' : 'Male 男');
    ws.addRow(['age', input.baseYear, ...report.years.map((y) => y.year)]);
    for (let x = 0; x <= input.openAge; x++) {
      ws.addRow([
        ageLabel(x, input.openAge),
        input.population[sex][x],
        ...report.years.map((y) => y.population[sex][x]),
      ]);
    }
  }
  if (report.probabilistic) {
    const ws = wb.addWorksheet('Probabilistic 概率');
    ws.addRow(['year', 'indicator', 'median', 'lower80', 'upper80', 'lower95', 'upper95']);
    for (const y of report.probabilistic.years) {
      for (const [key, v] of Object.entries(y)) {
        if (key === 'year' || typeof v !== 'object') continue;
        ws.addRow([y.year, key, v.median, v.lower80, v.upper80, v.lower95, v.upper95]);
      }
    }
  }
  if (report.warnings.length > 0) {
    const ws = wb.addWorksheet('Warnings 警告');
    ws.addRow(['code', 'message']);
    for (const w of report.warnings) ws.addRow([w.code, w.message]);
  }
  await wb.xlsx.writeFile(file);
}

async function action(opts: Options): Promise<void> {
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'csv' && format !== 'xlsx') {
    fail([`--format must be json, csv or xlsx (got ${format}) / 输出格式须为 json、csv 或 xlsx`]);
    return;
  }
  if (opts.json && format !== 'json') {
    fail(['--json cannot be combined with --format csv/xlsx / --json 不能与 csv/xlsx 格式同时使用']);
    return;
  }
  if (format === 'xlsx' && !opts.out) {
    fail(['--format xlsx needs --out FILE / xlsx 格式需要 --out 指定文件']);
    return;
  }
  let trajectories: number | null = null;
  let seed = 1;
  if (opts.trajectories !== undefined) {
    if (!/^\d+$/.test(opts.trajectories)) {
      fail([`--trajectories must be a positive integer (got ${opts.trajectories}) / 轨迹数须为正整数`]);
      return;
    }
    trajectories = Number(opts.trajectories);
  }
  if (opts.seed !== undefined) {
    if (!/^-?\d+$/.test(opts.seed) || !Number.isSafeInteger(Number(opts.seed))) {
      fail([`--seed must be an integer (got ${opts.seed}) / 随机种子须为整数`]);
      return;
    }
    seed = Number(opts.seed);
  }

  const { readFile, writeFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(opts.input, 'utf8');
  } catch (err) {
    fail([`cannot read ${opts.input}: ${(err as Error).message} / 无法读取输入文件`]);
    return;
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    fail([`${opts.input} is not valid JSON: ${(err as Error).message} / 输入文件不是有效的 JSON`]);
    return;
  }

  const lib = await import('../../demography/index.ts');
  const result = lib.runProjection(input);
  if (!result.ok) {
    fail([
      `invalid input / 输入无效 (${result.issues.length} issue${result.issues.length === 1 ? '' : 's'}):`,
      ...result.issues.map(
        (i) => `  ${lib.formatPath(i.path)}: ${i.message} / ${lib.issueMessage(i, 'zh-CN')} [${i.code}]`,
      ),
    ]);
    return;
  }
  const report: Report = { ...result.value };
  const valid = input as import('../../demography/index.ts').ProjectionInput & {
    stochastic?: { tfr?: { rho: number; sigma: number }; e0?: { rho: number; sigma: number } };
  };
  if (trajectories !== null) {
    const st = valid.stochastic;
    const parameters = {
      tfr: st?.tfr ?? lib.DEFAULT_STOCHASTIC_PARAMETERS.tfr,
      e0: st?.e0 ?? lib.DEFAULT_STOCHASTIC_PARAMETERS.e0,
    };
    const prob = lib.runProbabilistic(lib.planProjection(valid), { trajectories, seed, parameters });
    if (!prob.ok) {
      fail([
        'invalid probabilistic options / 概率预测参数无效:',
        ...prob.issues.map((i) => `  ${lib.formatPath(i.path)}: ${i.message} [${i.code}]`),
      ]);
      return;
    }
    report.probabilistic = prob.value;
  }

  try {
    if (format === 'json') {
      const out = `${JSON.stringify(report)}\n`;
      if (opts.out) await writeFile(opts.out, out);
      else process.stdout.write(out);
    } else if (format === 'csv') {
      const out = toCsv(valid, report);
      if (opts.out) await writeFile(opts.out, out);
      else process.stdout.write(out);
    } else {
      await writeXlsx(opts.out as string, valid, report);
    }
  } catch (err) {
    fail([`cannot write output: ${(err as Error).message} / 无法写出结果`]);
    return;
  }
  process.exitCode = 0;
}

/** Adds `junheng project` to the program. */
export function register(program: Command): void {
  program
    .command('project')
    .description('Cohort-component population projection (shared/specs/projection.md) / 队列要素法人口预测')
    .requiredOption('--input <file>', 'projection input (JSON) / 输入文件')
    .option('--json', 'print the result as one JSON document on stdout (default) / 输出 JSON')
    .option('--trajectories <n>', 'add a probabilistic section with N trajectories / 概率预测轨迹数')
    .option('--seed <s>', 'seed of the probabilistic run (default 1) / 随机种子')
    .option('--format <format>', 'json | csv | xlsx (xlsx needs --out)', 'json')
    .option('--out <file>', 'write to this file instead of stdout / 输出文件')
    // Usage errors (e.g. a missing --input) exit 2 like invalid input; --help exits 0. Set here
    // because a sub-command copies the root's exit handling only when it is created.
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    })
    .action(action);
}
