/** The user's lint configuration (`.allowlistrc.yaml`), read by the CLI and the editor alike:
 * per-rule severity and options, and extra catalogs. */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Range } from 'yaml';
import { closestName, type Position, type RuleOption, type SeveritySetting } from '../common';
import { resolveConfigPath } from './config-path';
import { ruleById } from './rules';

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

/** A mistake in a configuration: `PATH:LINE:COL: reason` when the place is known, like every other finding. The
 * parts are kept too, for the editor's diagnostic on the config file. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** What is wrong, without the path and position. */
    readonly reason: string,
    /** The config file, when the configuration came from one. */
    readonly path?: string,
    /** Where in the file, zero-based as LSP counts (UTF-16 columns). */
    readonly range?: { start: Position; end: Position },
  ) {
    super(message);
  }
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

export function emptyConfig(): LintConfig {
  return { rules: {}, catalogs: [] };
}

/** Where the config's text came from, and how to name a place in it. */
class ConfigSource {
  private readonly lines = new LineCounter();
  constructor(
    private readonly path: string | undefined,
    private readonly positions: boolean,
  ) {}
  document?: Document.Parsed;
  get lineCounter(): LineCounter {
    return this.lines;
  }
  /** The node itself, or the one an alias (`*name`) stands for. */
  resolve(node: unknown): Node | null {
    const resolved = isAlias(node) && this.document ? node.resolve(this.document) : node;
    return (resolved ?? null) as Node | null;
  }
  /** The error for `reason`, at `node` (or from `offset` to `end`) when positions are wanted. */
  error(reason: string, node?: { range?: Range | null } | null, offset?: number, end?: number): ConfigError {
    const name = this.path ?? 'config';
    const at = offset ?? node?.range?.[0];
    if (!this.positions || at === undefined) return new ConfigError(`${name}: ${reason}`, reason, this.path);
    const start = this.lines.linePos(at);
    const stop = this.lines.linePos(Math.max(at, end ?? node?.range?.[1] ?? at));
    const range = { start: { line: start.line - 1, character: start.col - 1 }, end: { line: stop.line - 1, character: stop.col - 1 } };
    return new ConfigError(`${name}:${start.line}:${start.col}: ${reason}`, reason, this.path, range);
  }
}

export interface ParseConfigOptions {
  /** Give each error's line and column (default); off for text the user did not type as is (editor settings). */
  positions?: boolean;
}

/** Parses a config's text. Throws ConfigError with a message naming what is wrong and where. */
export function parseConfig(text: string, path?: string, options: ParseConfigOptions = {}): LintConfig {
  const source = new ConfigSource(path, options.positions ?? true);
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { prettyErrors: false, lineCounter: source.lineCounter, uniqueKeys: true });
  } catch (error) {
    throw source.error(notValidYaml(error as Error), undefined, 0);
  }
  source.document = document;
  const syntax = document.errors[0];
  if (syntax) throw source.error(notValidYaml(syntax), undefined, syntax.pos[0], syntax.pos[1]);
  const config: LintConfig = { ...emptyConfig(), path };
  const root = source.resolve(document.contents);
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return config;
  if (!isMap(root)) throw source.error('must be a mapping with `rules` and `catalogs`', root);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = source.resolve(pair.value);
    if (key === 'rules') readRules(value, config, source);
    else if (key === 'catalogs') config.catalogs = readCatalogs(value, path, source);
    else throw source.error(`unknown key "${key}"${suggestion(key, ['rules', 'catalogs']) ?? '; expected rules, catalogs'}`, pair.key as Node);
  }
  return config;
}

function notValidYaml(error: Error): string {
  const message = error.message.split('\n')[0];
  // `yaml` runs out of stack on very deep nesting: say what is wrong with the file, not with the engine.
  return `not valid YAML: ${/Maximum call stack size exceeded/.test(message) ? 'it is nested too deeply' : message}`;
}

/** "; did you mean X?" for the known name nearest `word`, if it is near enough to be a typo. */
function suggestion(word: string, known: string[]): string | undefined {
  const match = closestName(word, known);
  return match === undefined ? undefined : `; did you mean ${match}?`;
}

function readRules(rules: Node | null, config: LintConfig, source: ConfigSource): void {
  if (rules === null || (isScalar(rules) && rules.value === null)) return;
  if (!isMap(rules)) throw source.error('`rules` must map rule ids to a severity or { severity, ...options }', rules);
  for (const pair of rules.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : '';
    config.rules[id] = ruleConfig(id, pair.key as Node, source.resolve(pair.value), source);
  }
}

function readCatalogs(catalogs: Node | null, path: string | undefined, source: ConfigSource): string[] {
  const list = catalogs === null ? [] : isSeq(catalogs) ? catalogs.items.map((item) => source.resolve(item)) : [catalogs];
  return list.map((entry) => {
    if (!isScalar(entry) || typeof entry.value !== 'string') throw source.error('`catalogs` must be a list of paths', entry);
    return resolveConfigPath(path, entry.value);
  });
}

function ruleConfig(id: string, keyNode: Node, settingNode: Node | null, source: ConfigSource): RuleConfig {
  const rule = ruleById.get(id);
  if (!rule) throw source.error(`unknown rule "${id}"${suggestion(id, [...ruleById.keys()]) ?? '; `allowlist rules` lists them'}`, keyNode);
  const at = settingNode ?? keyNode;
  if (isScalar(settingNode) && typeof settingNode.value === 'string') {
    const setting = settingNode.value;
    if (!SEVERITIES.has(setting)) throw source.error(`rule ${id}: severity must be error, warning, info or off, not "${setting}"`, settingNode);
    return { severity: setting as SeveritySetting, options: {} };
  }
  if (isMap(settingNode)) {
    let severity: SeveritySetting | undefined;
    const options: Record<string, unknown> = {};
    const known = Object.keys(rule.meta.options ?? {});
    for (const pair of settingNode.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const valueNode = source.resolve(pair.value);
      const value = isScalar(valueNode) ? valueNode.value : valueNode?.toJSON();
      if (name === 'severity') {
        if (typeof value !== 'string' || !SEVERITIES.has(value)) throw source.error(`rule ${id}: severity must be error, warning, info or off`, valueNode ?? (pair.key as Node));
        severity = value as SeveritySetting;
        continue;
      }
      // Own options only: `constructor` or `toString` are not options, though every object has them.
      const option = known.includes(name) ? rule.meta.options![name] : undefined;
      if (!option) {
        const hint = known.length > 0 ? (suggestion(name, known) ?? `; its options are ${known.join(', ')}`) : '; it has no options, only a severity';
        throw source.error(`rule ${id}: unknown option "${name}"${hint}`, pair.key as Node);
      }
      options[name] = optionValue(option, value, () => source.error(`rule ${id}: ${name} must be ${'minimum' in option ? `a whole number from ${option.minimum} to ${option.maximum}` : 'true or false'}`, valueNode ?? (pair.key as Node)));
    }
    return { severity, options };
  }
  throw source.error(`rule ${id}: expected a severity or { severity, ...options }`, at);
}

function optionValue(option: RuleOption, value: unknown, invalid: () => Error): number | boolean {
  if ('minimum' in option) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < option.minimum || value > option.maximum) throw invalid();
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw invalid();
}

/** The editor's rules: the `allowlist.rules` setting (a severity or { severity, ...options } by rule id) over a
 * config's, option by option. A ConfigError names a mistake in the setting (without positions: it is not text the
 * user typed as is). */
export function withSettingRules(config: LintConfig, settingRules: unknown): LintConfig {
  const fromSettings = parseConfig(JSON.stringify({ rules: settingRules ?? {} }), 'settings: allowlist.rules', { positions: false });
  const rules = { ...config.rules };
  for (const [id, rule] of Object.entries(fromSettings.rules)) rules[id] = { severity: rule.severity ?? rules[id]?.severity, options: { ...rules[id]?.options, ...rule.options } };
  return { ...config, rules };
}
