/** The user's lint configuration (`.allowlistrc.yaml`), read by the CLI and the editor alike:
 * per-rule severity and options, and extra catalogs. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { readRegularFileSync } from './read-file';
import { ruleById } from './rules';
import type { SeveritySetting } from './types';

export const CONFIG_FILE_NAMES = ['.allowlistrc.yaml', '.allowlistrc.yml', '.allowlistrc.json'];
/** A configuration is a few lines; anything near this is not one (and a FIFO or device is refused outright). */
export const MAX_CONFIG_SIZE = 256 * 1024;

export interface RuleConfig {
  severity?: SeveritySetting;
  options: Record<string, unknown>;
}

export interface LintConfig {
  rules: Record<string, RuleConfig>;
  /** Catalog files or folders, resolved against the config file's folder. */
  catalogs: string[];
  /** The config file it came from, if any. */
  path?: string;
}

export class ConfigError extends Error {}

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

export function emptyConfig(): LintConfig {
  return { rules: {}, catalogs: [] };
}

/** Parses a config's text. Throws ConfigError with a message naming what is wrong. */
export function parseConfig(text: string, path?: string): LintConfig {
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: false });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    // `yaml` runs out of stack on very deep nesting: say what is wrong with the file, not with the engine.
    throw new ConfigError(`${path ?? 'config'}: not valid YAML: ${/^Maximum call stack size exceeded/.test(message) ? 'it is nested too deeply' : message}`);
  }
  const config: LintConfig = { ...emptyConfig(), path };
  if (raw === null || raw === undefined) return config;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${path ?? 'config'}: must be a mapping with \`rules\` and \`catalogs\``);
  const { rules, catalogs, ...rest } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ConfigError(`${path ?? 'config'}: unknown key "${unknown[0]}"; expected rules, catalogs`);
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new ConfigError(`${path ?? 'config'}: \`rules\` must map rule ids to a severity or { severity, ...options }`);
    for (const [id, setting] of Object.entries(rules)) config.rules[id] = ruleConfig(id, setting, path);
  }
  if (catalogs !== undefined) {
    const list = Array.isArray(catalogs) ? catalogs : [catalogs];
    if (!list.every((entry) => typeof entry === 'string')) throw new ConfigError(`${path ?? 'config'}: \`catalogs\` must be a list of paths`);
    const base = path ? dirname(path) : process.cwd();
    config.catalogs = (list as string[]).map((entry) => resolve(base, entry));
  }
  return config;
}

function ruleConfig(id: string, setting: unknown, path: string | undefined): RuleConfig {
  const rule = ruleById.get(id);
  if (!rule) throw new ConfigError(`${path ?? 'config'}: unknown rule "${id}"; \`allowlist rules\` lists them`);
  if (typeof setting === 'string') {
    if (!SEVERITIES.has(setting)) throw new ConfigError(`${path ?? 'config'}: rule ${id}: severity must be error, warning, info or off, not "${setting}"`);
    return { severity: setting as SeveritySetting, options: {} };
  }
  if (typeof setting === 'object' && setting !== null && !Array.isArray(setting)) {
    const { severity, ...options } = setting as Record<string, unknown>;
    if (severity !== undefined && (typeof severity !== 'string' || !SEVERITIES.has(severity))) {
      throw new ConfigError(`${path ?? 'config'}: rule ${id}: severity must be error, warning, info or off`);
    }
    for (const [name, value] of Object.entries(options)) {
      const known = Object.keys(rule.meta.options ?? {});
      // Own options only: `constructor` or `toString` are not options, though every object has them.
      const option = known.includes(name) ? rule.meta.options![name] : undefined;
      if (!option) throw new ConfigError(`${path ?? 'config'}: rule ${id}: unknown option "${name}"; ${known.length > 0 ? `its options are ${known.join(', ')}` : 'it has no options, only a severity'}`);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < option.minimum || value > option.maximum) {
        throw new ConfigError(`${path ?? 'config'}: rule ${id}: ${name} must be a whole number from ${option.minimum} to ${option.maximum}`);
      }
    }
    return { severity: severity as SeveritySetting | undefined, options };
  }
  throw new ConfigError(`${path ?? 'config'}: rule ${id}: expected a severity or { severity, ...options }`);
}

/** The nearest config file at or above `dir`, or undefined. */
export function findConfigFile(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(current, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(current) === current) return undefined;
  }
}

export function loadConfigFor(dir: string): LintConfig {
  const path = findConfigFile(dir);
  if (!path) return emptyConfig();
  let text: string;
  try {
    text = readConfigText(path);
  } catch (error) {
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return parseConfig(text, path);
}

/** The text of a configuration file: a regular file of at most MAX_CONFIG_SIZE, else a FileReadError (read-file.ts). */
export function readConfigText(path: string): string {
  // `--config /dev/null` is the usual way to say "no configuration": the one device read as empty.
  if (path === '/dev/null') return '';
  return readRegularFileSync(path, MAX_CONFIG_SIZE).toString('utf8').replace(/^\uFEFF/, '');
}
