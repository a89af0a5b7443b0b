import type { Command } from 'commander';

/** A CLI command module: adds its sub-command(s) to the root program. */
export type CommandModule = { register(program: Command): void };

/**
 * Every command of `junheng`, loaded lazily so that `junheng project` does not pay for the
 * server's imports. Add one line per command module.
 */
export const commandModules: Array<() => Promise<CommandModule>> = [
  () => import('./core.ts'),
  () => import('./entitlements.ts'),
  () => import('./simulate.ts'),
  () => import('./project.ts'),
  () => import('./synth.ts'),
  () => import('./import.ts'),
];
