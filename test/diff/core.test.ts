/** The semantic diff (src/core/diff) on texts: every kind of change, and edits without effect. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type AccessChange, type Change, combineDiffs, diffAllowlists, failures, type FileDiff, formatDiff, portsText, verdict } from '../../src/core/diff';

const TODAY = '2026-01-01';
const diff = (before: string | undefined, after: string | undefined): FileDiff => diffAllowlists(before, after, { file: 'site.allowlist.yaml', today: TODAY });
const kinds = (result: FileDiff): string[] => result.changes.map((change) => change.kind);
const access = (result: FileDiff): AccessChange[] => result.changes.filter((change): change is AccessChange => 'ports' in change);

const HDB_HOSTS = '[flu1pjyrr2.execute-api.us-east-1.amazonaws.com, kdwq222yo3.execute-api.us-east-1.amazonaws.com, e4rz8vlrg0.execute-api.us-east-1.amazonaws.com]';

/** A complete Helpdesk Buttons allowlist (cloud ticket system): no vendor requirement unmet. */
const BASE = `allowlist: 1
vendors:
  helpdesk-buttons: {}
outbound:
  - name: hdb-api
    vendor: helpdesk-buttons
    to: ${HDB_HOSTS}
    ports: 443
    owner: alice
    ticket: NET-1
  - name: hdb-uploads
    vendor: helpdesk-buttons
    to: hdb-stuff.s3.amazonaws.com
    ports: 443
  - name: hdb-techconnect
    vendor: helpdesk-buttons
    to: connect.helpdeskbuttons.com
    ports: [443, "2001-2500"]
  - name: web
    to: a.example.com
    ports: 443
    expires: 2026-06-01
inbound:
  - name: ticket-api
    from: 192.0.2.0/28
    to: 10.0.0.20
    ports: 443
`;

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture lacks ${from}`);
  return text.replace(from, to);
}

test('identical texts: no change, no effect', () => {
  const result = diff(BASE, BASE);
  assert.deepEqual(result.changes, []);
  assert.equal(result.noEffect, true);
  assert.equal(result.status, 'unchanged');
});

test('no effect: reordering rules, with a note', () => {
  const reordered = edit(
    BASE,
    '  - name: hdb-api\n    vendor: helpdesk-buttons\n    to: ' + HDB_HOSTS + '\n    ports: 443\n    owner: alice\n    ticket: NET-1\n',
    '',
  ).replace('  - name: web\n', `  - name: hdb-api\n    vendor: helpdesk-buttons\n    to: ${HDB_HOSTS}\n    ports: 443\n    owner: alice\n    ticket: NET-1\n  - name: web\n`);
  const result = diff(BASE, reordered);
  assert.deepEqual(result.changes, []);
  assert.equal(result.noEffect, true);
  assert.deepEqual(result.notes, ['outbound rules reordered']);
  assert.deepEqual(result.findings, { introduced: [], resolved: [] });
});

test('no effect: renaming a rule, with a note; its findings keep their identity', () => {
  // `web` expires soon (expires-soon finding on subject outbound:web:…): renamed, the finding is the same one.
  const before = edit(BASE, 'expires: 2026-06-01', 'expires: 2026-01-10');
  const result = diff(before, edit(before, 'name: web', 'name: website'));
  assert.deepEqual(result.changes, []);
  assert.equal(result.noEffect, true);
  assert.deepEqual(result.notes, ['rule renamed web → website']);
  assert.deepEqual(result.findings, { introduced: [], resolved: [] });
});

test('no effect: reformatting YAML, flow and block lists, quoting, comments', () => {
  const reformatted = edit(
    edit(BASE, `    to: ${HDB_HOSTS}\n`, `    # the vendor's API\n    to:\n      - flu1pjyrr2.execute-api.us-east-1.amazonaws.com\n      - "kdwq222yo3.execute-api.us-east-1.amazonaws.com"\n      - e4rz8vlrg0.execute-api.us-east-1.amazonaws.com\n`),
    '    ports: [443, "2001-2500"]\n',
    '    ports:\n      - 2001-2500\n      - 443\n',
  );
  const result = diff(BASE, reformatted);
  assert.deepEqual(result.changes, []);
  assert.equal(result.noEffect, true);
  assert.deepEqual(result.notes, ['formatting, comments or list style changed only']);
  // A whole flow-style document says the same.
  const flow = `{allowlist: 1, vendors: {helpdesk-buttons: {}}, outbound: [{name: hdb-api, vendor: helpdesk-buttons, to: ${HDB_HOSTS}, ports: 443, owner: alice, ticket: NET-1}, {name: hdb-uploads, vendor: helpdesk-buttons, to: hdb-stuff.s3.amazonaws.com, ports: 443}, {name: hdb-techconnect, vendor: helpdesk-buttons, to: connect.helpdeskbuttons.com, ports: [443, "2001-2500"]}, {name: web, to: a.example.com, ports: 443, expires: 2026-06-01}], inbound: [{name: ticket-api, from: 192.0.2.0/28, to: 10.0.0.20, ports: 443}]}\n`;
  assert.deepEqual(diff(BASE, flow).changes, []);
  assert.equal(diff(BASE, flow).noEffect, true);
});

test('no effect: splitting a rule in two, or merging rules, allows the same', () => {
  const split = edit(BASE, '    ports: [443, "2001-2500"]\n', '    ports: 443\n  - name: hdb-techconnect-sessions\n    vendor: helpdesk-buttons\n    to: connect.helpdeskbuttons.com\n    ports: "2001-2500"\n');
  const result = diff(BASE, split);
  assert.deepEqual(result.changes, []);
  assert.equal(result.noEffect, true);
});

test('opened: a new outbound host; closed: a removed one, with the vendor requirement newly unmet and its role text', () => {
  const removed = edit(BASE, '  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n', '');
  const result = diff(BASE, removed);
  assert.deepEqual(kinds(result), ['requirement-unmet', 'closed']);
  const [unmet, closed] = result.changes as [Change & { roles: string[] }, AccessChange];
  assert.deepEqual(unmet.roles, ['upload diagnostic data/Images']);
  assert.equal(unmet.rule, 'hdb-uploads');
  assert.match(unmet.summary, /Breaks Helpdesk Buttons "upload diagnostic data\/Images": hdb-stuff\.s3\.amazonaws\.com/);
  assert.equal(closed.to.label, 'hdb-stuff.s3.amazonaws.com');
  assert.equal(closed.direction, 'outbound');
  assert.deepEqual(closed.ports, [{ from: 443, to: 443 }]);
  assert.equal(closed.rule, 'hdb-uploads');
  assert.deepEqual(
    result.findings.introduced.map((finding) => [finding.ruleId, finding.subject]),
    [['missing-endpoint', 'vendor:helpdesk-buttons:host:hdb-stuff.s3.amazonaws.com']],
  );

  // And back: opened + requirement met + finding resolved.
  const back = diff(removed, BASE);
  assert.deepEqual(kinds(back), ['opened', 'requirement-met']);
  assert.match(back.changes[1].summary, /^Meets Helpdesk Buttons "upload diagnostic data\/Images": hdb-stuff\.s3\.amazonaws\.com is now allowed \(by hdb-uploads\)/);
  assert.equal(back.findings.resolved.length, 1);
  assert.equal(back.findings.introduced.length, 0);
});

test('missing-ports and inbound-missing-source requirements come with their roles', () => {
  const ports = diff(BASE, edit(BASE, 'ports: [443, "2001-2500"]', 'ports: 443'));
  assert.deepEqual(kinds(ports), ['requirement-unmet', 'narrowed']);
  assert.deepEqual((ports.changes[0] as { roles: string[] }).roles, ['establish TechConnect session']);
  assert.match(ports.changes[0].summary, /not allowed on TCP 2001-2500/);
  assert.equal((ports.changes[1] as AccessChange).portCount, 500);

  // Switching to a self-hosted ticket system: the gatekeeper no longer applies, the inbound sources now do.
  const selfHosted = diff(BASE, edit(BASE, 'helpdesk-buttons: {}', 'helpdesk-buttons: { ticket-system: self-hosted }'));
  const unmet = selfHosted.changes.filter((change) => change.kind === 'requirement-unmet') as (Change & { roles: string[]; direction: string })[];
  assert.equal(unmet.length, 1);
  assert.equal(unmet[0].direction, 'inbound');
  assert.deepEqual(unmet[0].roles, ['inbound API requests to your ticket system']);
  assert.ok(selfHosted.notes.includes('options of vendor helpdesk-buttons changed'));
});

test('widened: a bigger port range, a wildcard, a wider prefix; narrowed: the reverse', () => {
  const ports = diff(BASE, edit(BASE, '    to: a.example.com\n    ports: 443', '    to: a.example.com\n    ports: "443-445"'));
  assert.deepEqual(kinds(ports), ['widened']);
  assert.deepEqual(access(ports)[0].ports, [{ from: 444, to: 445 }]);
  assert.equal(access(ports)[0].rule, 'web');

  const wildcard = diff(BASE, edit(BASE, 'to: a.example.com', 'to: "*.example.com"'));
  assert.deepEqual(kinds(wildcard), ['widened']);
  assert.equal(access(wildcard)[0].to.label, '*.example.com');
  assert.deepEqual(access(wildcard)[0].related, ['to a.example.com on TCP 443']);

  const prefix = diff(BASE, edit(BASE, 'from: 192.0.2.0/28', 'from: 192.0.2.0/24'));
  assert.deepEqual(kinds(prefix), ['widened']);
  assert.equal(access(prefix)[0].direction, 'inbound');
  assert.equal(access(prefix)[0].from.label, '192.0.2.0/24');

  const narrower = diff(edit(BASE, 'from: 192.0.2.0/28', 'from: 192.0.2.0/24'), BASE);
  assert.deepEqual(kinds(narrower), ['narrowed']);
  assert.match(narrower.changes[0].summary, /no longer allowed.*still allowed: from 192\.0\.2\.0\/28 to 10\.0\.0\.20 on TCP 443/);

  const portsNarrowed = diff(edit(BASE, '    to: a.example.com\n    ports: 443', '    to: a.example.com\n    ports: [443, 8443]'), BASE);
  assert.deepEqual(kinds(portsNarrowed), ['narrowed']);
  assert.deepEqual(access(portsNarrowed)[0].ports, [{ from: 8443, to: 8443 }]);
});

test('--fail-on opened catches widening: an inbound source widened to any, an inbound or outbound port added', () => {
  const failOn = (result: FileDiff, names: string[]): string[] => failures(combineDiffs([result], 'main', 'work tree'), names);
  const names = ['opened', 'opened-inbound', 'opened-outbound', 'widened-inbound'];

  const toAny = diff(BASE, edit(BASE, 'from: 192.0.2.0/28', 'from: any'));
  assert.deepEqual(kinds(toAny), ['widened']);
  assert.deepEqual(failOn(toAny, names), ['opened', 'opened-inbound', 'widened-inbound']);

  const port22 = diff(BASE, edit(BASE, '    to: 10.0.0.20\n    ports: 443', '    to: 10.0.0.20\n    ports: [22, 443]'));
  assert.deepEqual(access(port22).map((change) => [change.kind, change.direction, portsText(change.ports)]), [['widened', 'inbound', '22']]);
  assert.deepEqual(failOn(port22, names), ['opened', 'opened-inbound', 'widened-inbound']);

  const outboundPort = diff(BASE, edit(BASE, '    to: a.example.com\n    ports: 443', '    to: a.example.com\n    ports: [443, 8443]'));
  assert.deepEqual(kinds(outboundPort), ['widened']);
  assert.deepEqual(failOn(outboundPort, names), ['opened', 'opened-outbound']);
  // Narrowing opens nothing.
  assert.deepEqual(failOn(diff(edit(BASE, 'from: 192.0.2.0/28', 'from: any'), BASE), names), []);
});

test('a host newly covered by an existing wildcard opens nothing; moving a port opens and closes', () => {
  const wide = edit(BASE, 'to: a.example.com', 'to: "*.example.com"');
  const added = diff(wide, edit(wide, 'inbound:', '  - name: b\n    to: b.example.com\n    ports: 443\ninbound:'));
  assert.deepEqual(added.changes, []);
  assert.equal(added.noEffect, true);

  const moved = diff(BASE, edit(BASE, '    to: a.example.com\n    ports: 443', '    to: a.example.com\n    ports: 8443'));
  assert.deepEqual(kinds(moved), ['opened', 'closed']);
});

test('protocol any opens UDP too, reported as one change', () => {
  const result = diff(BASE, edit(BASE, '    to: a.example.com\n    ports: 443', '    to: a.example.com\n    ports: 443\n    protocol: any'));
  assert.deepEqual(kinds(result), ['opened']);
  assert.equal(access(result)[0].protocol, 'udp');
  const fresh = diff(BASE, edit(BASE, 'inbound:', '  - name: dns\n    to: 9.9.9.9\n    ports: 53\n    protocol: any\ninbound:'));
  assert.equal(access(fresh)[0].protocol, 'tcp/udp');
});

test('risk order: new inbound access first, broad sources before narrow ones', () => {
  const after = edit(
    BASE,
    'inbound:\n',
    'inbound:\n  - name: narrow\n    from: 198.51.100.7\n    to: 10.0.0.30\n    ports: 22\n  - name: broad\n    from: any\n    to: 10.0.0.20\n    ports: 443\n  - name: mid\n    from: 198.51.100.0/24\n    to: 10.0.0.40\n    ports: 22\n',
  );
  const removedUploads = edit(after, '  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n', '  - name: out\n    to: example.net\n    ports: 443\n');
  const result = diff(BASE, removedUploads);
  assert.deepEqual(
    result.changes.map((change) => `${change.kind}:${change.rule}`),
    // `broad` also covers what ticket-api allowed: widened, and first (from any).
    ['widened:broad', 'opened:mid', 'opened:narrow', 'requirement-unmet:hdb-uploads', 'opened:out', 'closed:hdb-uploads'],
  );
  const report = combineDiffs([result], 'main', 'work tree');
  assert.equal(verdict(report), '⚠ Widens inbound access from any to 10.0.0.20:443 (and 2 more inbound); closes 1 vendor endpoint; opens 1 outbound endpoint; introduces 3 findings');
});

test('expiry added, removed, moved later and sooner; owner and ticket changes', () => {
  const removed = diff(BASE, edit(BASE, '    expires: 2026-06-01\n', ''));
  assert.deepEqual(kinds(removed), ['expiry']);
  assert.deepEqual(
    { change: (removed.changes[0] as { change: string }).change, rule: removed.changes[0].rule },
    { change: 'removed', rule: 'web' },
  );
  const later = diff(BASE, edit(BASE, 'expires: 2026-06-01', 'expires: 2027-06-01'));
  assert.equal((later.changes[0] as { change: string }).change, 'later');
  assert.match(later.changes[0].summary, /expires later: 2026-06-01 → 2027-06-01/);
  const sooner = diff(BASE, edit(BASE, 'expires: 2026-06-01', 'expires: 2026-03-01'));
  assert.equal((sooner.changes[0] as { change: string }).change, 'earlier');
  const added = diff(edit(BASE, '    expires: 2026-06-01\n', ''), BASE);
  assert.equal((added.changes[0] as { change: string }).change, 'added');
  // Removing an expiry is riskier than closing access.
  assert.ok(removed.changes[0].risk > 40);

  const metadata = diff(BASE, edit(edit(BASE, 'owner: alice', 'owner: bob'), 'ticket: NET-1', 'ticket: NET-2'));
  assert.deepEqual(
    metadata.changes.map((change) => [change.kind, (change as { field: string }).field, (change as { before: string }).before, (change as { after: string }).after]),
    [
      ['metadata', 'owner', 'alice', 'bob'],
      ['metadata', 'ticket', 'NET-1', 'NET-2'],
    ],
  );
  // Renamed and re-owned: the rename is a note, the owner a change.
  const both = diff(BASE, edit(edit(BASE, 'owner: alice', 'owner: bob'), 'name: hdb-api', 'name: hdb-endpoints'));
  assert.deepEqual(kinds(both), ['metadata']);
  assert.ok(both.notes.includes('rule renamed hdb-api → hdb-endpoints'));
});

test('added and deleted files: everything opened or closed', () => {
  const added = diff(undefined, BASE);
  assert.equal(added.status, 'added');
  assert.ok(kinds(added).every((kind) => kind === 'opened'));
  assert.equal(access(added)[0].direction, 'inbound');
  const deleted = diff(BASE, undefined);
  assert.equal(deleted.status, 'deleted');
  assert.ok(kinds(deleted).every((kind) => kind === 'closed'));
});

test('a side that does not parse: a clear note and finding, no crash, no reach compared', () => {
  const broken = `${BASE}  - name: [unclosed\n`;
  const result = diff(BASE, broken);
  assert.equal(result.unparsable, 'head');
  assert.equal(result.noEffect, false);
  assert.deepEqual(result.changes, []);
  assert.match(result.notes[0], /^the head version does not parse \(YAML error at line \d+: .+\); its effect was not compared$/);
  assert.ok(result.findings.introduced.some((finding) => finding.ruleId === 'yaml-syntax' && finding.severity === 'error'));
  const back = diff(broken, BASE);
  assert.equal(back.unparsable, 'base');
  assert.ok(back.findings.resolved.some((finding) => finding.ruleId === 'yaml-syntax'));
  for (const format of ['text', 'markdown', 'json'] as const) assert.match(formatDiff(format, combineDiffs([result], 'a', 'b')), /does not parse/);
});

// Only a hang (or a return to comparing every pair of rules) fails the time bound: it is far above what the diff
// takes even on a loaded machine (5-20 s at load 22); how fast the diff is belongs to the benchmark.
test('10,000 rules reordered and one inbound rule widened: only the widening, and no hang', () => {
  const rules = (n: number, extra: string): string => {
    const lines = ['allowlist: 1', 'outbound:'];
    for (let i = 0; i < n; i++) lines.push(`  - name: r${i}`, `    to: [h${i}.example.com, 10.${(i >> 8) & 255}.${i & 255}.0/24]`, `    ports: [443, "${8000 + (i % 100)}-${8100 + (i % 100)}"]`);
    lines.push(extra);
    return `${lines.join('\n')}\n`;
  };
  const before = rules(10000, 'inbound:\n  - name: in\n    from: 203.0.113.0/24\n    to: 10.0.0.1\n    ports: 22');
  // Reversed order (no effect) plus one widened inbound rule.
  const after = `allowlist: 1\noutbound:\n${before.split('\n  - name: ').slice(1).reverse().filter((chunk) => !chunk.startsWith('in\n')).map((chunk) => `  - name: ${chunk.replace(/\ninbound:\n?$/, '').trimEnd()}`).join('\n')}\ninbound:\n  - name: in\n    from: 203.0.112.0/23\n    to: 10.0.0.1\n    ports: 22\n`;
  const started = performance.now();
  const result = diff(before, after);
  const elapsed = performance.now() - started;
  assert.deepEqual(kinds(result), ['widened']);
  assert.ok(result.notes.includes('outbound rules reordered'));
  assert.ok(elapsed < 180_000, `took ${Math.round(elapsed)} ms`);
});

test('markdown and json formats', () => {
  const result = diff(BASE, edit(BASE, 'from: 192.0.2.0/28', 'from: any'));
  const report = combineDiffs([result], 'main', 'work tree');
  const markdown = formatDiff('markdown', report);
  assert.match(markdown, /^### Allowlist changes\n\n\*\*⚠ Widens inbound access from any to 10\.0\.0\.20:443; introduces 1 finding\*\*/);
  assert.match(markdown, /\| ↗ widened \| inbound \| any \| 10\.0\.0\.20 \| TCP \| 443 \| ticket-api \| site\.allowlist\.yaml \|/);
  const json = JSON.parse(formatDiff('json', report));
  assert.equal(json.changes[0].kind, 'widened');
  assert.equal(json.changes[0].direction, 'inbound');
  assert.equal(json.changes[0].file, 'site.allowlist.yaml');
  assert.equal(json.changes[0].rule, 'ticket-api');
  assert.equal(typeof json.changes[0].summary, 'string');
  assert.deepEqual(Object.keys(json.findings), ['introduced', 'resolved']);
  assert.equal(json.findings.introduced[0].ruleId, 'inbound-too-broad');
});

test('rules reorganised without a change of access: a shadowed rule added, a rule split or merged', () => {
  const shadowed = diff(BASE, edit(BASE, 'inbound:', '  - name: uploads-again\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\ninbound:'));
  assert.deepEqual(shadowed.changes, []);
  assert.equal(shadowed.noEffect, true);
  assert.deepEqual(shadowed.notes, ['rules reorganised: no change of access']);
  assert.deepEqual(shadowed.findings.introduced.map((finding) => finding.ruleId), ['shadowed-rule']);
  // A finding introduced is never ✓.
  assert.equal(verdict(combineDiffs([shadowed], 'main', 'work tree')), '⚠ Introduces 1 finding');

  const split = edit(BASE, '    ports: [443, "2001-2500"]\n', '    ports: 443\n  - name: hdb-techconnect-sessions\n    vendor: helpdesk-buttons\n    to: connect.helpdeskbuttons.com\n    ports: "2001-2500"\n');
  assert.deepEqual(diff(BASE, split).notes, ['rules reorganised: no change of access']);
  // Merging removes a named rule: the reach stays, but the rule is not silently gone.
  const merged = diff(split, BASE);
  assert.deepEqual(kinds(merged), ['removed']);
  assert.deepEqual(merged.notes, ['rules reorganised: no change of access']);
  assert.equal(verdict(combineDiffs([merged], 'main', 'work tree')), 'ℹ Removes 1 rule whose access stays allowed');
  // Formatting alone keeps its own note.
  assert.deepEqual(diff(BASE, edit(BASE, 'ports: [443, "2001-2500"]', "ports: [443, '2001-2500']")).notes, ['formatting, comments or list style changed only']);
});

test('removed: a rule whose reach another rule still allows is never silent (outbound to any, inbound from any)', () => {
  const withAny = edit(BASE, 'inbound:', '  - name: web-any\n    to: any\n    ports: [80, 443]\ninbound:');
  const result = diff(withAny, edit(withAny, '  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n', ''));
  assert.deepEqual(kinds(result), ['removed']);
  assert.equal(result.noEffect, false);
  const [removed] = result.changes as [Change & { stillAllowedBy: string[] }];
  assert.equal(removed.rule, 'hdb-uploads');
  assert.deepEqual(removed.stillAllowedBy, ['web-any']);
  assert.equal(removed.summary, 'Removes rule hdb-uploads (outbound to hdb-stuff.s3.amazonaws.com); nothing closes: its access is still allowed by rule web-any.');
  const report = combineDiffs([result], 'main', 'work tree');
  assert.equal(verdict(report), 'ℹ Removes 1 rule whose access stays allowed');
  assert.match(formatDiff('text', report), /^  removed +Removes rule hdb-uploads /m);
  assert.match(formatDiff('markdown', report), /\| ➖ removed \| outbound \| hdb-uploads \| web-any \| site\.allowlist\.yaml \|/);
  assert.deepEqual(failures(report, ['removed', 'removed-outbound', 'removed-inbound', 'closed', 'opened']), ['removed', 'removed-outbound']);

  // Inbound: a single source dropped while an `any` rule to the same host and port stays.
  const inbound = edit(BASE, 'inbound:\n', 'inbound:\n  - name: public\n    from: any\n    to: 10.0.0.20\n    ports: 443\n');
  const dropped = diff(inbound, edit(inbound, '  - name: ticket-api\n    from: 192.0.2.0/28\n    to: 10.0.0.20\n    ports: 443\n', ''));
  assert.deepEqual(dropped.changes.map((change) => `${change.kind}:${change.rule}:${'direction' in change ? change.direction : ''}`), ['removed:ticket-api:inbound']);

  // A removed rule that closes something is named by that change, not twice.
  const partly = edit(withAny, '    to: hdb-stuff.s3.amazonaws.com\n    ports: 443', '    to: hdb-stuff.s3.amazonaws.com\n    ports: [443, 8443]');
  const closing = diff(partly, edit(partly, '  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: [443, 8443]\n', ''));
  assert.deepEqual(closing.changes.map((change) => `${change.kind}:${change.rule}`), ['closed:hdb-uploads']);
});

test('verdict counts: a vendor source closed once, an added expiry as an expiry change', () => {
  const selfHosted = edit(
    edit(BASE, 'helpdesk-buttons: {}', 'helpdesk-buttons: { ticket-system: self-hosted }'),
    'inbound:\n',
    'inbound:\n  - name: hdb-tickets\n    vendor: helpdesk-buttons\n    from: [34.202.14.153, 3.209.57.193]\n    to: 10.0.0.15\n    ports: 443\n',
  );
  const dropped = diff(selfHosted, edit(selfHosted, 'from: [34.202.14.153, 3.209.57.193]', 'from: 3.209.57.193'));
  assert.deepEqual(kinds(dropped), ['requirement-unmet', 'closed']);
  assert.equal(access(dropped)[0].from.label, '34.202.14.153');
  assert.equal(verdict(combineDiffs([dropped], 'main', 'work tree')), '⚠ Closes 1 vendor endpoint; introduces 1 finding');

  const added = diff(edit(BASE, '    expires: 2026-06-01\n', ''), BASE);
  assert.equal(verdict(combineDiffs([added], 'main', 'work tree')), 'ℹ Adds 1 expiry');
  const sooner = diff(BASE, edit(edit(BASE, 'expires: 2026-06-01', 'expires: 2026-03-01'), 'owner: alice', 'owner: bob'));
  assert.equal(verdict(combineDiffs([sooner], 'main', 'work tree')), 'ℹ Brings 1 expiry forward; 1 owner or ticket change');
});

test('a requirement made unmet by a vendor option has rule null and names the vendor (json)', () => {
  const selfHosted = edit(BASE, 'helpdesk-buttons: {}', 'helpdesk-buttons: { ticket-system: self-hosted }');
  const json = JSON.parse(formatDiff('json', combineDiffs([diff(BASE, selfHosted)], 'main', 'work tree')));
  const unmet = json.changes.find((change: { kind: string }) => change.kind === 'requirement-unmet');
  assert.ok('rule' in unmet, 'the rule key is present');
  assert.equal(unmet.rule, null);
  assert.equal(unmet.vendor, 'helpdesk-buttons');
  assert.equal(unmet.direction, 'inbound');
  assert.match(unmet.summary, /newly required by the vendor's declaration or options/);
  // And back: no longer required, again about the declaration.
  const back = JSON.parse(formatDiff('json', combineDiffs([diff(selfHosted, BASE)], 'main', 'work tree')));
  const gone = back.changes.find((change: { kind: string }) => change.kind === 'requirement-met');
  assert.equal(gone.noLongerRequired, true);
  assert.equal(gone.rule, null);
  assert.equal(gone.vendor, 'helpdesk-buttons');
});
