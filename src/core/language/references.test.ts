import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostReferences, referencesAt } from './references';
import { lintYaml } from '../lint';

const TEXT = [
  'allowlist: 1',
  'outbound:',
  '  - name: a',
  '    to: [Connect.HelpdeskButtons.com, "*.helpdeskbuttons.com"]',
  '    ports: 443',
  '  - name: b',
  '    from: 10.0.0.5',
  '    to:',
  '      - connect.helpdeskbuttons.com.',
  '    ports: "2001-2500"',
  'inbound:',
  '  - name: c',
  '    from: 10.0.0.5/32',
  '    to: 10.0.0.5',
  '    ports: 22',
  '',
].join('\n');
const model = lintYaml(TEXT).model;
const texts = (ranges: { start: number; end: number }[]) => ranges.map((r) => TEXT.slice(r.start, r.end));

test('references: every occurrence of a host in from/to, ignoring case and a trailing dot, not the wildcard', () => {
  assert.deepEqual(texts(hostReferences(model, 'connect.helpdeskbuttons.com')), ['Connect.HelpdeskButtons.com', 'connect.helpdeskbuttons.com.']);
  assert.deepEqual(texts(hostReferences(model, '*.helpdeskbuttons.com')), ['"*.helpdeskbuttons.com"'], 'a quoted scalar\'s range includes its quotes');
});

test('references: IP addresses by network (10.0.0.5 and 10.0.0.5/32 are the same), across directions', () => {
  assert.deepEqual(texts(hostReferences(model, '10.0.0.5')), ['10.0.0.5', '10.0.0.5/32', '10.0.0.5']);
});

test('referencesAt: from the address under the cursor; undefined elsewhere', () => {
  const offset = TEXT.indexOf('connect.helpdeskbuttons.com.') + 3;
  assert.equal(referencesAt(model, offset)?.length, 2);
  assert.equal(referencesAt(model, TEXT.indexOf('ports')), undefined);
});
