/**
 * The only module of `rules/` that reads files: parameter directories and reform overlays.
 * Everything else receives parsed data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { applyReform, compileParameters, type ParameterSet } from './params.ts';

/** `policy/parameters` of this package, resolved from this file (not from the working directory). */
export function defaultParametersDir(): string {
  return fileURLToPath(new URL('../../policy/parameters/', import.meta.url));
}

/** `policy/` of this package. */
export function policyDir(): string {
  return fileURLToPath(new URL('../../policy/', import.meta.url));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Read and compile every `*.yaml` parameter file of a directory. */
export function loadParameters(dir: string = defaultParametersDir()): ParameterSet {
  return compileParameters(yamlFiles(dir).map((f) => parse(readFileSync(f, 'utf8'))));
}

/** Read a reform overlay file (YAML) and apply it to a parameter set. */
export function loadReform(base: ParameterSet, file: string): ParameterSet {
  return applyReform(base, parse(readFileSync(file, 'utf8')));
}

/** Parse every YAML test file of a directory (for the policy test runner). */
export function loadYamlDir(dir: string): Array<{ file: string; data: unknown }> {
  return yamlFiles(dir).map((file) => ({ file, data: parse(readFileSync(file, 'utf8')) }));
}
