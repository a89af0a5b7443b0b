/** Synthetic Kunming: people, households, events and department feeds. */

export { type BudgetFamily, familiesOf, generateFamilies, iterateHouseholds } from './families.ts';
export { DEFAULT_FAULT_RATES, FAULT_TYPES, type FaultRates, type FaultType } from './feeds/faults.ts';
export type { FaultsReport, Manifest } from './feeds/sink.ts';
export { FEEDS, type FeedSpec, SOURCES, type SourceId, XLSX_MAX_DATA_ROWS } from './feeds/specs.ts';
export { apportion, areaTargets, expectedPersons, generateCity } from './generate.ts';
export type { CitySink, SynthHousehold, SynthOptions, SynthPerson, SynthProgress } from './model.ts';
export { type CitySummary, createSummarizer, summarize } from './summary.ts';
export { writeTemplates } from './templates.ts';
export { teeSink, type WriteCityOptions, type WriteCityResult, writeCity } from './write-city.ts';
