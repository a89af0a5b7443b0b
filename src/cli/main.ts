import { Command } from 'commander';
import { commandModules } from './commands/index.ts';

const program = new Command('junheng')
  .description('Junheng 均衡 — Kunming population and family-support platform / 昆明人口与生育支持平台')
  .showHelpAfterError()
  .enablePositionalOptions();

// Set before the sub-commands are created: commander copies these settings into each of them.
// Usage errors exit 2 (like invalid input); --help and --version exit 0.
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

for (const load of commandModules) {
  (await load()).register(program);
}
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // commander's own errors are already printed; anything else is ours.
  if (!(err as { code?: string }).code?.startsWith('commander.')) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(2);
}
