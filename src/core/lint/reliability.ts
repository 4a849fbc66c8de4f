/** Whether a lint result's rules say what the file says, for the commands that act on the rules rather than report
 * on them: probe and probe-script (where to connect), explain --file (which rules allow a subject) and export (what
 * a firewall will allow). One decision, so they all refuse the same files. */
import type { Finding } from '../common';
import type { LintResult } from './engine';

/** Lint rules whose findings mean the model may not say what the file says (a misspelt key, a value of the wrong
 * type, a port or address that did not parse): acting on it could reach the wrong host or port, or none. */
export const UNRELIABLE_RULES: readonly string[] = ['yaml-syntax', 'schema', 'invalid-address', 'invalid-port'];

/** Why a file's rules cannot be acted on. */
export type RulesRefusal =
  | { kind: 'not-allowlist' }
  /** Over the linter's size limit: `message` is lint's. */
  | { kind: 'too-large'; message: string }
  | { kind: 'unreliable'; findings: Finding[] };

/** Undefined when the rules of a lint result can be acted on, else why not. `alsoUnreliable` names further rules
 * whose errors refuse (export adds `duplicate-name`: object names come from rule names). */
export function rulesRefusal(result: Pick<LintResult, 'model' | 'findings'>, alsoUnreliable: readonly string[] = []): RulesRefusal | undefined {
  if (result.model.kind !== 'allowlist') return { kind: 'not-allowlist' };
  const ruleIds = new Set([...UNRELIABLE_RULES, ...alsoUnreliable]);
  // Errors only: YAML warnings (an unknown tag) leave the rules readable, and a severity the config lowers is the user's call.
  const unreliable = result.findings.filter((finding) => finding.severity === 'error' && ruleIds.has(finding.ruleId));
  const tooLarge = unreliable.find((finding) => finding.subject === 'file:too-large');
  if (tooLarge) return { kind: 'too-large', message: tooLarge.message };
  return unreliable.length > 0 ? { kind: 'unreliable', findings: unreliable } : undefined;
}

/** The refusal as one sentence about `file`: `action` is what cannot be done ("probe", "export"), `howToSee` says
 * where its errors are listed (e.g. "run `allowlist lint FILE`"). */
export function describeRulesRefusal(file: string, refusal: RulesRefusal, action: string, howToSee: string): string {
  switch (refusal.kind) {
    case 'not-allowlist':
      return `${file} is not an allowlist (it has no top-level \`allowlist: 1\`), so there is nothing to ${action}`;
    case 'too-large':
      return `${file}: ${refusal.message}`;
    case 'unreliable': {
      const count = refusal.findings.length;
      return `${file} has ${count} error${count === 1 ? ' that makes' : 's that make'} its rules unreliable; ${howToSee}`;
    }
  }
}
