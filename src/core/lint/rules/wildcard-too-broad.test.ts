import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicSuffix, publicSuffixesUnder, publicSuffixOf } from '../../common';
import { applyFix, findingsOf, rangeText } from '../testing';

const file = (to: string, ports = '443') =>
  `allowlist: 1\nvendors:\n  helpdesk-buttons: {}\noutbound:\n  - name: hdb-aws\n    vendor: helpdesk-buttons\n    to: ${to}\n    ports: ${ports}\n`;

const plain = (to: string) => `allowlist: 1\noutbound:\n  - name: web\n    to: ${to}\n    ports: 443\n`;

test('psl: suffixes from the list, private section, wildcard rules and exceptions included', () => {
  assert.equal(isPublicSuffix('com'), true);
  assert.equal(isPublicSuffix('s3.amazonaws.com'), true);
  assert.equal(isPublicSuffix('amazonaws.com'), false);
  assert.equal(isPublicSuffix('us-east-1.compute.amazonaws.com'), true, 'under the wildcard rule *.compute.amazonaws.com');
  assert.equal(isPublicSuffix('compute.amazonaws.com'), false, 'a wildcard rule does not make its base a suffix');
  assert.equal(isPublicSuffix('foo.ck'), true);
  assert.equal(isPublicSuffix('www.ck'), false, 'the exception !www.ck');
  assert.equal(isPublicSuffix('corp'), false, 'an unlisted top-level name is not taken for a suffix');
  assert.equal(isPublicSuffix('helpdeskbuttons.com'), false);
  const underAws = publicSuffixesUnder('amazonaws.com');
  assert.ok(underAws.includes('s3.amazonaws.com') && underAws.includes('execute-api.us-east-1.amazonaws.com'));
  assert.ok(underAws.length > 100);
  assert.deepEqual(publicSuffixesUnder('compute.amazonaws.com'), ['*.compute.amazonaws.com']);
  assert.deepEqual(publicSuffixesUnder('helpdeskbuttons.com'), []);
  assert.equal(publicSuffixOf('hdb-stuff.s3.amazonaws.com'), 's3.amazonaws.com');
  assert.ok(publicSuffixesUnder('jp').includes('xn--ehqz56n.jp'), 'IDN rules are indexed in their ASCII form');
});

test('wildcard-too-broad: a wildcard covering public suffixes names them (the vendor\'s first) and offers the vendor\'s hosts', () => {
  const text = file('"*.amazonaws.com"');
  const [finding, ...rest] = findingsOf(text, 'wildcard-too-broad');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), '"*.amazonaws.com"');
  const count = publicSuffixesUnder('amazonaws.com').length;
  assert.equal(
    finding.message,
    `to: *.amazonaws.com covers public suffixes such as execute-api.us-east-1.amazonaws.com, s3.amazonaws.com, us-east-1.amazonaws.com (${count} in all): anyone can register hosts under them, and this rule lets traffic through to all of them; allow Helpdesk Buttons's exact host names instead`,
  );
  assert.equal(finding.subject, 'outbound:hdb-aws:to:*.amazonaws.com');
  // On port 443 with the default (cloud) ticket system: getconf, gatekeeper, plugins and the upload bucket.
  assert.equal(
    applyFix(text, finding.fixes![0]),
    file('[flu1pjyrr2.execute-api.us-east-1.amazonaws.com, kdwq222yo3.execute-api.us-east-1.amazonaws.com, e4rz8vlrg0.execute-api.us-east-1.amazonaws.com, hdb-stuff.s3.amazonaws.com]'),
  );
});

test('wildcard-too-broad: a wildcard whose base is a public suffix; in a list the other entries are kept', () => {
  const text = file('[connect.helpdeskbuttons.com, "*.s3.amazonaws.com"]');
  const [finding] = findingsOf(text, 'wildcard-too-broad');
  assert.equal(rangeText(text, finding), '"*.s3.amazonaws.com"');
  assert.match(finding.message, /^to: \*\.s3\.amazonaws\.com reaches every host under s3\.amazonaws\.com, a public suffix: anyone can register names under it/);
  assert.equal(applyFix(text, finding.fixes![0]), file('[connect.helpdeskbuttons.com, hdb-stuff.s3.amazonaws.com]'));
});

test('wildcard-too-broad: without a vendor there is no fix; *.com and *.compute.amazonaws.com are reported', () => {
  const text = plain('["*.com", "*.compute.amazonaws.com"]');
  const findings = findingsOf(text, 'wildcard-too-broad');
  assert.deepEqual(findings.map((finding) => rangeText(text, finding)), ['"*.com"', '"*.compute.amazonaws.com"']);
  assert.match(findings[0].message, /reaches every host under com, a public suffix/);
  assert.match(findings[1].message, /covers public suffixes such as \*\.compute\.amazonaws\.com: anyone can register/);
  assert.ok(findings.every((finding) => finding.fixes === undefined));
});

test('wildcard-too-broad: wildcards under a registrable domain pass', () => {
  assert.deepEqual(findingsOf(file('"*.helpdeskbuttons.com"', '"2001-2500"'), 'wildcard-too-broad'), []);
  assert.deepEqual(findingsOf(plain('["*.example.com", "*.hdb-stuff.s3.amazonaws.com", "*.corp"]'), 'wildcard-too-broad'), []);
});
