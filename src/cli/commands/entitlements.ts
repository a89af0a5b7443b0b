import type { Command } from 'commander';

/**
 * `junheng entitlements --input FILE [--json]`: the family entitlement calculator (contract v1).
 * stdout carries exactly one JSON document. Invalid input exits 2 with one problem document on
 * stderr: the same RFC 9457 document as the HTTP route's 400 body (`errors`: JSON pointer, code,
 * zh-CN and en reason), without the request id. A defect of the rules themselves exits 1.
 */
export function register(program: Command): void {
  program
    .command('entitlements')
    .description("Compute a family's entitlements / 计算家庭可享受的生育支持待遇")
    .requiredOption('--input <file>', 'input JSON file (see docs/rules.md) / 输入 JSON 文件')
    .option('--json', 'print JSON (the default and only format) / 输出 JSON')
    .action(async (opts: { input: string; json?: boolean }) => {
      const { readFileSync } = await import('node:fs');
      const { computeEntitlementsFromText, isRulesFault, problemErrors } = await import(
        '../../rules/index.ts'
      );
      const { loadParameters, unreadableReason } = await import('../../rules/load.ts');
      const { AppError, toProblem } = await import('../../server/errors.ts');
      type Issues = Parameters<typeof problemErrors>[0];
      const problem = (issues: Issues) => {
        const internal = isRulesFault(issues);
        const err = new AppError(
          internal ? 'internal.error' : 'entitlements.invalid_input',
          internal ? { requestId: 'cli' } : {},
          problemErrors(issues),
        );
        process.stderr.write(`${JSON.stringify(toProblem(err, 'zh-CN'), null, 2)}\n`);
        process.exitCode = internal ? 1 : 2;
      };
      let text: string;
      try {
        text = readFileSync(opts.input, 'utf8');
      } catch (err) {
        const why = unreadableReason(err);
        problem([
          {
            code: 'input.unreadable',
            path: '',
            message: {
              zh: `无法读取输入文件：${opts.input}（${why.zh}）`,
              en: `Cannot read the input file: ${opts.input} (${why.en})`,
            },
          },
        ]);
        return;
      }
      const result = computeEntitlementsFromText(text, loadParameters());
      if (!result.ok) {
        problem(result.issues);
        return;
      }
      process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
    });
}
