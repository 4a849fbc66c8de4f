import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogSet, type Catalog, parseCatalog } from '../catalog';
import { complete, explain, hoverAt } from '../language';
import { markdownLink } from './markdown';
import { lintYaml } from '../lint';

/** Targets of the Markdown links in `markdown`: every `](` after a `]` that is not escaped. */
function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((match) => match[1]);
}

test('markdownLink: http(s) links get a target nothing in the URL can end or break; other schemes are no link', () => {
  assert.equal(markdownLink('https://a.example/a b)(<c>"d\'`e\\f', 'a [label]'), '[a \\[label\\]](https://a.example/a%20b%29%28%3Cc%3E%22d%27%60e/f)');
  assert.equal(markdownLink('javascript:alert(1)'), '`javascript:alert(1)`');
  assert.equal(markdownLink('JavaScript:alert(`x`)', 'click'), "`JavaScript:alert('x')`");
  assert.equal(markdownLink('data:text/html,<script>x</script>'), '`data:text/html,<script>x</script>`');
  assert.equal(markdownLink('not a url'), '`not a url`');
});

/** A catalog as code could build it, skipping the schema (which allows only http(s) URLs): hostile
 * URLs and Markdown in the vendor's texts. */
function hostileCatalogs() {
  const { catalog } = parseCatalog(
    `catalog: 1
vendor: { id: acme, name: Acme }
options:
  mode: { description: How Acme runs, values: [cloud, onsite], default: cloud, source: { url: "https://acme.example/" } }
endpoints:
  - { id: api, role: the API, host: api.acme.example, ports: [443], allowlist-by: hostname, source: { url: "https://acme.example/" } }
inbound-sources:
  - { id: push, address: 192.0.2.1, role: pushes, source: { url: "https://acme.example/" } }
exclusions:
  - { id: folder, path: 'C:\\Acme', platform: windows, role: the folder, source: { url: "https://acme.example/" } }
products:
  - { product: shield, name: Shield, problem: It blocks Acme., source: { url: "https://acme.example/" } }
`,
    'acme.catalog.yaml',
  );
  assert.ok(catalog);
  const script = 'javascript:alert(1)';
  const injected = '[click](javascript:alert(2)) <javascript:alert(3)>';
  const hostile: Catalog = {
    ...catalog,
    description: injected,
    options: catalog.options.map((option) => ({ ...option, description: injected, source: { url: script } })),
    endpoints: catalog.endpoints.map((endpoint) => ({ ...endpoint, role: injected, source: { url: 'https://acme.example/a b)[x](javascript:alert(4)' } })),
    inboundSources: catalog.inboundSources.map((source) => ({ ...source, condition: injected, source: { url: script } })),
    exclusions: catalog.exclusions.map((exclusion) => ({ ...exclusion, note: injected, source: { url: script } })),
    products: catalog.products.map((product) => ({ ...product, problem: injected, links: [script, 'data:text/html,x'], source: { url: script } })),
  };
  return buildCatalogSet([hostile]);
}

test('hovers, explain and completion never link to a javascript: URL, whatever a catalog holds', () => {
  const catalogs = hostileCatalogs();
  const text = `allowlist: 1
vendors:
  acme: { mode: cloud }
outbound:
  - { name: api, to: api.acme.example, ports: [443], protocol: tcp, vendor: acme }
endpoint-protection:
  products: [shield]
  exclusions:
    - path: 'C:\\Acme'
`;
  const model = lintYaml(text).model;
  const offsetOf = (needle: string, delta: number) => text.indexOf(needle) + delta;
  const hovers = [
    hoverAt(model, offsetOf('api.acme.example', 3), catalogs),
    hoverAt(model, offsetOf('mode: cloud', 2), catalogs),
    hoverAt(model, offsetOf('[shield]', 3), catalogs),
    hoverAt(model, offsetOf("'C:\\Acme'", 3), catalogs),
  ].map((hover) => hover?.markdown);
  const explained = ['api.acme.example', '192.0.2.1', 'shield', 'acme'].map((subject) => explain(subject, catalogs).markdown);
  const completeAtEnd = (before: string) => complete(lintYaml(`${before}\n`).model, before.length, catalogs);
  const completions = [
    completeAtEnd('allowlist: 1\nvendors:\n  acme: {}\noutbound:\n  - to: '),
    completeAtEnd('allowlist: 1\nvendors:\n  acme: {}\ninbound:\n  - from: '),
    completeAtEnd('allowlist: 1\nvendors:\n  '),
    completeAtEnd('allowlist: 1\nvendors:\n  acme:\n    mode: '),
    completeAtEnd('allowlist: 1\nendpoint-protection:\n  products: ['),
    completeAtEnd('allowlist: 1\nendpoint-protection:\n  exclusions:\n    - path: '),
  ].flatMap((items) => items.map((item) => item.documentation));
  const markdown = [...hovers, ...explained, ...completions].filter((doc): doc is string => doc !== undefined);

  assert.ok(hovers.every((hover) => hover !== undefined), 'every hover shows');
  assert.equal(completions.filter((doc) => doc?.includes('click')).length, 7, 'each completion shows the texts');
  assert.ok(markdown.some((doc) => doc.includes('javascript:alert(1)')), 'the refused URL is still shown, as text');
  for (const doc of markdown) {
    assert.doesNotMatch(doc, /(?<!\\)<javascript:/i, doc);
    for (const target of linkTargets(doc)) assert.match(target, /^https?:\/\/[^\s<>()]*$/, doc);
  }
  const hostTargets = linkTargets(explained[0]);
  assert.ok(hostTargets.includes('https://acme.example/a%20b%29[x]%28javascript:alert%284%29'), `the whole URL is one link target: ${hostTargets.join(' ')}`);
});
