import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../src/core/language';
import { defaultCatalogSet } from '../../src/core/lint';
import { run, tempTree } from './helpers';

async function explainCli(...argv: string[]) {
  const { dir, cleanup } = tempTree({});
  try {
    return await run(dir, ['explain', ...argv]);
  } finally {
    cleanup();
  }
}

test('explain host: vendor, both roles in its words, their ports, hostname-only with the reason, source', async () => {
  const result = await explainCli('connect.helpdeskbuttons.com');
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Helpdesk Buttons/);
  assert.match(result.stdout, /“request slot for TechConnect”: TCP 443/);
  assert.match(result.stdout, /“establish TechConnect session”: TCP 2001-2500/);
  assert.match(result.stdout, /Allowlist it by host name, not by IP address\. The vendor: “Many of these are servers which are edge optimized/);
  assert.match(result.stdout, /Source: https:\/\/docs\.tier2tickets\.com\/content\/general\/firewall\/#outbound-client-software-settings/);
  assert.doesNotMatch(result.stdout, /\*\*|\\/, 'the terminal gets plain text');
});

test('explain host: the Markdown rendering for the editor hover', () => {
  const { markdown, title, known } = explain('connect.helpdeskbuttons.com', defaultCatalogSet());
  assert.equal(known, true);
  assert.equal(title, 'connect.helpdeskbuttons.com (Helpdesk Buttons)');
  assert.match(markdown, /^### connect\.helpdeskbuttons\.com/);
  assert.match(markdown, /^- “request slot for TechConnect”: TCP 443$/m);
  assert.match(markdown, /\*\*Allowlist it by host name\*\*/);
  assert.match(markdown, /\[docs\.tier2tickets\.com\/content\/general\/firewall\/#outbound-client-software-settings\]\(https:/);
});

test('explain host: a condition is shown with the role', () => {
  const { plain } = explain('kdwq222yo3.execute-api.us-east-1.amazonaws.com', defaultCatalogSet());
  assert.match(plain, /“If not self-hosting; our gatekeeper”: TCP 443 — only when the ticket system is not self-hosted/);
});

test('explain IP: whose source address it is and for what', async () => {
  const result = await explainCli('34.202.14.153');
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Servers of Helpdesk Buttons connect from this address \(inbound, to you\)/);
  assert.match(result.stdout, /“inbound API requests to your ticket system”/);
  assert.match(result.stdout, /only when the ticket system is self-hosted/);
  assert.match(result.stdout, /The same role also uses: 3\.209\.57\.193\./);
  assert.match(result.stdout, /The vendor: “we send out all of our API requests/);
});

test('explain network: catalog addresses inside it', () => {
  const { plain, known } = explain('34.202.14.0/24', defaultCatalogSet());
  assert.equal(known, true);
  assert.match(plain, /34\.202\.14\.153 \(inside 34\.202\.14\.0\/24\)/);
});

test('explain range and port: the catalog roles on them', async () => {
  const range = await explainCli('2001-2500');
  assert.equal(range.code, 0);
  assert.match(range.stdout, /TCP 2001-2500: “establish TechConnect session” — connect\.helpdeskbuttons\.com \(Helpdesk Buttons, outbound\)/);
  const port = explain('443', defaultCatalogSet());
  assert.match(port.plain, /“request slot for TechConnect”/);
  assert.match(port.plain, /“upload diagnostic data\/Images” — hdb-stuff\.s3\.amazonaws\.com/);
  assert.doesNotMatch(port.plain, /establish TechConnect session/);
  assert.match(explain('2100', defaultCatalogSet()).plain, /2100 is within it/);
  assert.equal(explain('8080', defaultCatalogSet()).known, false);
  assert.equal(explain('70000', defaultCatalogSet()).known, false);
});

test('explain wildcard: the catalog hosts it covers', () => {
  const { plain, known } = explain('*.s3.amazonaws.com', defaultCatalogSet());
  assert.equal(known, true);
  assert.match(plain, /hdb-stuff\.s3\.amazonaws\.com \(Helpdesk Buttons\): “upload diagnostic data\/Images”: TCP 443/);
  assert.match(plain, /s3\.amazonaws\.com is itself a public suffix/);
});

test('explain product: the vendor\'s advice', async () => {
  const result = await explainCli('webroot');
  assert.equal(result.code, 0);
  assert.match(result.stdout, /“Webroot will blank most programs from taking screenshots\.”/);
  assert.match(result.stdout, /Advice: “It may be necessary to allow applications to take screenshots without confirmation/);
  assert.match(explain('adguard', defaultCatalogSet()).plain, /AdGuard seems to block the JavaScript/);
});

test('explain unknown host: exit 1 with a message', async () => {
  const result = await explainCli('unknown.example.net');
  assert.equal(result.code, 1);
  assert.match(result.stdout, /Not a host of the loaded catalogs \(Helpdesk Buttons\)\./);
  assert.equal(result.stderr, 'allowlist: the loaded catalogs know nothing about unknown.example.net\n');
});

test('explain usage: no subject or two subjects exit 2', async () => {
  assert.equal((await explainCli()).code, 2);
  const two = await explainCli('a.example', 'b.example');
  assert.equal(two.code, 2);
  assert.match(two.stderr, /explain takes one subject, not 2/);
  for (const blank of ['', '  ']) {
    const empty = await explainCli(blank);
    assert.equal(empty.code, 2, `"${blank}" is a usage error, not an unknown subject`);
    assert.match(empty.stderr, /^allowlist: error: explain needs a subject, not an empty one\n\nUsage: allowlist explain/);
    assert.equal(empty.stdout, '');
  }
  const md = await explainCli('--format', 'markdown', 'connect.helpdeskbuttons.com');
  assert.match(md.stdout, /^### connect\.helpdeskbuttons\.com/);
});
