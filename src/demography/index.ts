/**
 * Junheng's demography library: pure functions (no I/O, no clock, no environment) for life
 * tables, the cohort-component projection of shared/specs/projection.md, mortality and fertility
 * scenarios, Rogers–Castro migration, probabilistic runs and indicators. See docs/demography.md.
 */
export * from './engine.ts';
export * from './fertility.ts';
export * from './indicators.ts';
export * from './issues.ts';
export * from './life-table.ts';
export * from './migration.ts';
export * from './mortality.ts';
export * from './projection.ts';
export * from './random.ts';
export * from './stochastic.ts';
export * from './synthetic.ts';
