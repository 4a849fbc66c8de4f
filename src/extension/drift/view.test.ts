import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DriftReport } from '../../core/drift';
import { isDriftViewMessage, renderDriftHtml } from './view';

const page = { nonce: 'N0nce', cspSource: 'vscode-resource:' };
const report: DriftReport = {
  allowlist: 'branch.allowlist.yaml',
  against: 'branch.conf',
  platform: 'fortigate',
  extra: [
    {
      kind: 'extra',
      direction: 'outbound',
      from: { label: 'this site', kind: 'site' },
      to: { label: '198.51.100.7', kind: 'ipv4' },
      protocol: 'tcp',
      ports: [{ from: 22, to: 22 }],
      allowlistRules: [],
      firewallPolicies: [{ name: 'ssh <out>', line: 52 }],
      summary: 'The firewall allows outbound access to 198.51.100.7 on TCP 22 (policy ssh <out>); the allowlist does not.',
    },
  ],
  missing: [
    {
      kind: 'missing',
      direction: 'outbound',
      from: { label: 'this site', kind: 'site' },
      to: { label: 'support.vendor.example', kind: 'hostname' },
      protocol: 'tcp',
      ports: [{ from: 2001, to: 2500 }],
      allowlistRules: [{ name: 'remote-support', line: 13 }],
      firewallPolicies: [],
      summary: 'The allowlist allows outbound access to support.vendor.example on TCP 2001-2500 (rule remote-support); the firewall does not.',
    },
  ],
  requirements: [
    {
      kind: 'requirement-unmet',
      direction: 'outbound',
      vendor: 'helpdesk-buttons',
      vendorName: 'Helpdesk Buttons',
      roles: ['getconf'],
      target: 'getconf.example',
      ruleId: 'missing-endpoint',
      allowlistRules: [{ name: 'helpdesk-getconf', line: 19 }],
      summary: 'The firewall fails Helpdesk Buttons "getconf".',
    },
  ],
  notCompared: [{ line: 40, kind: 'partial', message: 'a geography address' }],
  notes: ['a note & more'],
  inSync: false,
};

test('the drift view: one row per entry, missing first, each linking to the allowlist line and naming the configuration line', () => {
  const html = renderDriftHtml({ report, checkedAt: '2026-12-02T05:40:00.000Z' }, page);
  const kinds = [...html.matchAll(/<tr class="[^"]*" data-kind="([^"]+)"/g)].map((match) => match[1]);
  assert.deepEqual(kinds, ['missing', 'extra', 'requirement-unmet']);
  assert.match(html, /id="summary">1 extra, 1 missing, 1 vendor requirement unmet</);
  assert.match(html, /<a href="#" data-message="openAllowlist" data-line="13">remote-support<\/a>/);
  assert.match(html, /<a href="#" data-message="openAllowlist" data-line="19">helpdesk-getconf<\/a>/);
  assert.match(html, /ssh &lt;out&gt; \(<a href="#" data-message="openConfiguration" data-line="52">branch\.conf:52<\/a>\)/);
  assert.match(html, /TCP 2001-2500/);
  assert.match(html, /<li><a href="#" data-message="openConfiguration" data-line="40">branch\.conf:40<\/a>: a geography address<\/li>/);
  assert.match(html, /a note &amp; more/);
  assert.match(html, /branch\.allowlist\.yaml against branch\.conf \(fortigate\) · 2026-12-02 05:40:00 UTC/);
  assert.doesNotMatch(html, /<[^>]+ on\w+=/, 'no inline handlers');
  for (const tag of html.match(/<(script|style)\b[^>]*>/g)!) assert.match(tag, /nonce="N0nce"/);
});

test('the drift view in sync says so instead of a table', () => {
  const html = renderDriftHtml({ report: { ...report, extra: [], missing: [], requirements: [], notCompared: [], notes: [], inSync: true }, checkedAt: '2026-12-02T05:40:00Z' }, page);
  assert.match(html, /id="in-sync">In sync/);
  assert.doesNotMatch(html, /<table>/);
});

test('the drift view takes only its messages: a line as digits, or check again', () => {
  assert.ok(isDriftViewMessage({ type: 'openAllowlist', line: '13' }));
  assert.ok(isDriftViewMessage({ type: 'openConfiguration', line: '40' }));
  assert.ok(isDriftViewMessage({ type: 'checkAgain' }));
  assert.ok(!isDriftViewMessage({ type: 'openAllowlist', line: '1; rm' }));
  assert.ok(!isDriftViewMessage({ type: 'openAllowlist' }));
  assert.ok(!isDriftViewMessage({ type: 'rerun' }));
  assert.ok(!isDriftViewMessage(null));
});
