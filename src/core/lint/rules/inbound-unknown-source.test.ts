import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config';
import { applyFix, findingsOf, rangeText } from '../testing';

const file = (from: string, options = 'ticket-system: self-hosted') =>
  `allowlist: 1\nvendors:\n  helpdesk-buttons: { ${options} }\ninbound:\n  - name: hdb-ticket-api\n    vendor: helpdesk-buttons\n    from: ${from}\n    to: 10.0.0.20\n    ports: 443\n`;

test('inbound-unknown-source: an address the vendor does not publish is reported; the fix removes it from the list', () => {
  const text = file('[34.202.14.153, 198.51.100.7, 3.209.57.193]');
  const [finding, ...rest] = findingsOf(text, 'inbound-unknown-source');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), '198.51.100.7');
  assert.equal(
    finding.message,
    'from: 198.51.100.7 is not a source Helpdesk Buttons publishes (it connects from 34.202.14.153, 3.209.57.193); remove it, or move it to a rule of its own that says whose address it is',
  );
  assert.equal(finding.subject, 'inbound:hdb-ticket-api:from:198.51.100.7');
  assert.equal(applyFix(text, finding.fixes![0]), file('[34.202.14.153, 3.209.57.193]'));
});

test('inbound-unknown-source: removal from a block list, in the middle (with its comment) and last', () => {
  const middle = file('\n      - 34.202.14.153\n      - 198.51.100.7  # test box\n      - 3.209.57.193');
  const [inMiddle] = findingsOf(middle, 'inbound-unknown-source');
  assert.equal(rangeText(middle, inMiddle), '198.51.100.7');
  assert.equal(applyFix(middle, inMiddle.fixes![0]), file('\n      - 34.202.14.153\n      - 3.209.57.193'));
  const last = file('\n      - 34.202.14.153\n      - 3.209.57.193\n      - 198.51.100.7');
  const [atEnd] = findingsOf(last, 'inbound-unknown-source');
  assert.equal(rangeText(last, atEnd), '198.51.100.7');
  assert.equal(applyFix(last, atEnd.fixes![0]), file('\n      - 34.202.14.153\n      - 3.209.57.193'));
});

test('inbound-unknown-source: a range wider than the published sources is narrowed to those it contains', () => {
  const text = file('[34.202.14.0/24, 3.209.57.193]');
  const [finding] = findingsOf(text, 'inbound-unknown-source');
  assert.equal(rangeText(text, finding), '34.202.14.0/24');
  assert.match(finding.message, /^from: 34\.202\.14\.0\/24 is wider than what Helpdesk Buttons publishes \(34\.202\.14\.153, 3\.209\.57\.193\); narrow it/);
  assert.equal(applyFix(text, finding.fixes![0]), file('[34.202.14.153, 3.209.57.193]'));
  // A lone address: no list to remove it from.
  const [lone] = findingsOf(file('198.51.100.7'), 'inbound-unknown-source');
  assert.equal(lone.fixes, undefined);
});

test('inbound-unknown-source: sources that apply only with other options are named in the message', () => {
  const text = file('34.202.14.153', 'ticket-system: cloud');
  const [finding] = findingsOf(text, 'inbound-unknown-source');
  assert.equal(rangeText(text, finding), '34.202.14.153');
  assert.match(finding.message, /not a source Helpdesk Buttons publishes for this site's options: its inbound sources apply only when the ticket system is self-hosted/);
});

test('inbound-unknown-source: published sources pass; any and wide ranges are left to inbound-too-broad', () => {
  assert.deepEqual(findingsOf(file('[34.202.14.153, 3.209.57.193]'), 'inbound-unknown-source'), []);
  assert.deepEqual(findingsOf(file('[any, 0.0.0.0/0, 10.0.0.0/8, 34.202.14.153]'), 'inbound-unknown-source'), []);
  const noVendor = 'allowlist: 1\ninbound:\n  - name: office\n    from: 198.51.100.7\n    to: 10.0.0.20\n    ports: 443\n';
  assert.deepEqual(findingsOf(noVendor, 'inbound-unknown-source'), []);
});

test('inbound-unknown-source: leaves to inbound-too-broad what that rule reports, with that rule\'s configured limit', () => {
  const text = file('[34.202.14.153, 3.209.57.193, 198.51.0.0/20]');
  // By default a /20 is narrow enough for inbound-too-broad (/16), so it is an unknown source here.
  assert.deepEqual(findingsOf(text, 'inbound-unknown-source').map((finding) => rangeText(text, finding)), ['198.51.0.0/20']);
  // With inbound-too-broad allowing nothing wider than a /24, the /20 is that rule's finding, and not this one's too.
  const config = parseConfig('rules:\n  inbound-too-broad: { max-ipv4-prefix: 24 }\n');
  assert.deepEqual(findingsOf(text, 'inbound-unknown-source', { config }), []);
  assert.deepEqual(findingsOf(text, 'inbound-too-broad', { config }).map((finding) => rangeText(text, finding)), ['198.51.0.0/20']);
});
