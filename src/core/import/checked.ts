/** What every reader's rules go through before they are written: each address as the allowlist reads it. A reader
 * passes on what the configuration names (a FortiGate FQDN `a,b.example`, an nft `999.1.1.1`); one the allowlist
 * cannot hold would be written for lint to reject, and drift would compare the policy as if it allowed nothing. */
import { visible } from '../common';
import { parseAddress } from '../parse';
import type { ImportReader, ImportResult } from './types';

const NOWHERE = { start: 0, end: 0 };

export function withCheckedAddresses(reader: ImportReader): ImportReader {
  return { ...reader, read: (text, options) => checkedAddresses(reader.read(text, options)) };
}

/** The rules without the addresses the allowlist cannot hold, each left out with a problem: a rule keeps what is left
 * of its sides (narrower: `partial`), or is left out when a side has nothing left (`skipped`). */
function checkedAddresses({ rules, problems }: ImportResult): ImportResult {
  const checked: ImportResult = { rules: [], problems: [...problems] };
  for (const rule of rules) {
    const unreadable: string[] = [];
    const readable = (addresses: string[]) => addresses.filter((address) => parseAddress(address, NOWHERE).kind !== 'invalid' || (unreadable.push(address), false));
    const from = rule.from && readable(rule.from);
    const to = readable(rule.to);
    if (unreadable.length === 0) {
      checked.rules.push(rule);
      continue;
    }
    const what = `"${visible(rule.name)}": ${unreadable.map((address) => `"${visible(address)}"`).join(', ')} ${unreadable.length === 1 ? 'is' : 'are'} not a host name, wildcard, IP address or network an allowlist can hold`;
    if (to.length === 0 || from?.length === 0) {
      checked.problems.push({ line: rule.line, kind: 'skipped', message: `${what}, and nothing else is on that side: the policy is left out` });
    } else {
      checked.problems.push({ line: rule.line, kind: 'partial', message: `${what}: left out of the rule, which allows less than the policy` });
      checked.rules.push({ ...rule, from, to });
    }
  }
  return checked;
}
