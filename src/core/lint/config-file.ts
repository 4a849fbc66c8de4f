/** Configuration files on disk: the nearest `.allowlistrc.yaml` above a folder, read and parsed. */
import { lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineIndex } from '../common';
import { decodeText, readRegularFileSync } from '../files';
import { ConfigError, CONFIG_FILE_NAMES, emptyConfig, type LintConfig, MAX_CONFIG_SIZE, parseConfig } from './config';

/** The nearest config file at or above `dir`, or undefined. A name that is there but cannot be read (a dangling or
 * looping symbolic link) is found, so that loading it says why, rather than linting without the config it meant. */
export function findConfigFile(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(current, name);
      if (lstatSync(candidate, { throwIfNoEntry: false })) return candidate;
    }
    if (dirname(current) === current) return undefined;
  }
}

export function loadConfigFor(dir: string): LintConfig {
  const path = findConfigFile(dir);
  return path ? loadConfigFile(path) : emptyConfig();
}

/** The configuration file at `path`, read, decoded (as allowlists are: UTF-8, or UTF-16 with a byte order mark) and
 * parsed; a ConfigError whose message names `path` when it cannot be read (not a regular file, too large, missing),
 * is not text, or is not a valid configuration. */
export function loadConfigFile(path: string): LintConfig {
  // `--config /dev/null` is the usual way to say "no configuration": the one device read as empty.
  if (path === '/dev/null') return parseConfig('', path);
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(path, MAX_CONFIG_SIZE);
  } catch (error) {
    const reason = `cannot read config ${path}: ${(error as Error).message}`;
    throw new ConfigError(reason, reason, path);
  }
  const decoded = decodeText(bytes);
  if (decoded.finding?.severity === 'error') {
    const at = new LineIndex(decoded.text).positionAt(decoded.finding.range.start);
    const reason = decoded.finding.message;
    throw new ConfigError(`${path}:${at.line + 1}:${at.character + 1}: ${reason}`, reason, path, { start: at, end: at });
  }
  return parseConfig(decoded.text, path);
}
