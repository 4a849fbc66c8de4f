/** Text from the allowlist (rule names, comments, the file's name) made safe inside a double-quoted string of a
 * firewall CLI whose escapes are not documented (FortiOS, PAN-OS): one line, no `"` and no `\`, so nothing can end
 * the string, continue the line or start another command. */
import { visible } from '../../common';

/** The text as one line: control and invisible characters written as escapes (`visible()`), then every `\` as `/`
 * and every `"` as `'`. `changed` says whether the text had to change (targets warn so the reader knows). */
export function quotableText(text: string): { text: string; changed: boolean } {
  const safe = visible(text).replace(/\\/g, '/').replace(/"/g, "'");
  return { text: safe, changed: safe !== text };
}
