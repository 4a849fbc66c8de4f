/** `allowlist rules`: every lint rule with its default severity and what it checks. */
import { firstSentence, rules } from '../core/lint';
import { ruleDocUrl } from '../core/common';
import { CliError, EXIT_OK, parseCommandArgs } from './common';
import type { CliIO } from './io';

export const RULES_USAGE = `Usage: allowlist rules [--format text|json]

Lists every lint rule with its default severity and a one-line description.
Severities and options are set per rule in .allowlistrc.yaml.`;

export async function rulesCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(`${RULES_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new CliError(`rules takes no arguments (got "${positionals[0]}")`, true);
  const format = values.format ?? 'text';
  if (format === 'json') {
    const list = rules.map(({ meta }) => ({ id: meta.id, defaultSeverity: meta.defaultSeverity, description: meta.description, example: meta.example, docs: ruleDocUrl(meta.id) }));
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return EXIT_OK;
  }
  if (format !== 'text') throw new CliError(`unknown --format "${format}"; expected text or json`, true);
  const idWidth = Math.max(...rules.map(({ meta }) => meta.id.length));
  const lines = rules.map(({ meta }) => `${meta.id.padEnd(idWidth)}  ${meta.defaultSeverity.padEnd(7)}  ${firstSentence(meta.description)}`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
