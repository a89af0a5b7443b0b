import type { Command } from 'commander';

/**
 * `junheng entitlements --input FILE [--json]`: the family entitlement calculator (contract v1).
 * stdout carries exactly one JSON document; invalid input exits 2 with the problem on stderr.
 */
export function register(program: Command): void {
  program
    .command('entitlements')
    .description("Compute a family's entitlements / 计算家庭可享受的生育支持待遇")
    .requiredOption('--input <file>', 'input JSON file (see docs/rules.md) / 输入 JSON 文件')
    .option('--json', 'print JSON (the default and only format) / 输出 JSON')
    .action(async (opts: { input: string; json?: boolean }) => {
      const { readFileSync } = await import('node:fs');
      const { computeEntitlements } = await import('../../rules/index.ts');
      const { loadParameters } = await import('../../rules/load.ts');
      const problem = (status: number, title: string, issues: unknown[]) => {
        process.stderr.write(`${JSON.stringify({ type: 'about:blank', title, status, issues }, null, 2)}\n`);
        process.exitCode = 2;
      };
      let text: string;
      try {
        text = readFileSync(opts.input, 'utf8');
      } catch (err) {
        problem(400, 'Cannot read input / 无法读取输入文件', [
          {
            code: 'input.unreadable',
            path: '',
            message: {
              zh: `无法读取文件：${opts.input}`,
              en: `Cannot read file: ${opts.input} (${(err as Error).message})`,
            },
          },
        ]);
        return;
      }
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (err) {
        problem(400, 'Invalid JSON / JSON 格式错误', [
          {
            code: 'input.invalid_json',
            path: '',
            message: {
              zh: `不是有效的 JSON：${(err as Error).message}`,
              en: `Not valid JSON: ${(err as Error).message}`,
            },
          },
        ]);
        return;
      }
      const result = computeEntitlements(input, loadParameters());
      if (!result.ok) {
        for (const i of result.issues) {
          process.stderr.write(`${i.path || '/'}: ${i.code} — ${i.message.en} / ${i.message.zh}\n`);
        }
        problem(400, 'Invalid input / 输入无效', result.issues);
        return;
      }
      process.stdout.write(`${JSON.stringify(result.value, null, opts.json ? 2 : 2)}\n`);
    });
}
