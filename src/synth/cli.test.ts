import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../cli/commands/synth.ts';

describe('junheng synth command', () => {
  it('registers with --help listing its options', () => {
    const program = new Command('junheng').exitOverride();
    register(program);
    const synth = program.commands.find((c) => c.name() === 'synth')!;
    expect(synth).toBeDefined();
    const help = synth.helpInformation();
    for (const flag of ['--scale', '--seed', '--out', '--as-of', '--templates']) expect(help).toContain(flag);
  });

  it('rejects a bad scale before doing any work', async () => {
    const program = new Command('junheng').exitOverride();
    register(program);
    await expect(program.parseAsync(['node', 'junheng', 'synth', '--scale', '-1'])).rejects.toThrow(/scale/);
  });
});
