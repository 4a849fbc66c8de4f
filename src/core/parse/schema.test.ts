import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { packagePath } from '../common';
import { validateAllowlistShell, validateCatalog, validateInboundRule, validateOutboundRule } from './schema';

const EXAMPLE = `allowlist: 1
site: Contoso Dental - Main Office
vendors:
  helpdesk-buttons: { ticket-system: self-hosted }
outbound:
  - name: hdb-api
    vendor: helpdesk-buttons
    to: [flu1pjyrr2.execute-api.us-east-1.amazonaws.com, e4rz8vlrg0.execute-api.us-east-1.amazonaws.com]
    ports: 443
  - name: hdb-techconnect
    vendor: helpdesk-buttons
    to: connect.helpdeskbuttons.com
    ports: [443, "2001-2500"]
inbound:
  - name: hdb-ticket-api
    vendor: helpdesk-buttons
    from: [34.202.14.153, 3.209.57.193]
    to: 10.0.0.20
    ports: 443
    expires: 2027-01-31
endpoint-protection:
  products: [webroot]
  exclusions:
    - path: 'C:\\Program Files (x86)\\Helpdesk Button'
`;

const rule = { name: 'r', to: 'connect.helpdeskbuttons.com', ports: 443 };

test('the example allowlist validates: file shell and every rule item', () => {
  const value = parse(EXAMPLE);
  assert.deepEqual(validateAllowlistShell(value), []);
  for (const item of value.outbound) assert.deepEqual(validateOutboundRule(item), []);
  for (const item of value.inbound) assert.deepEqual(validateInboundRule(item), []);
});

test('the shell leaves rule items to the per-item validators but still checks the lists', () => {
  assert.deepEqual(validateAllowlistShell({ allowlist: 1, outbound: [{ junk: true }], inbound: [42] }), []);
  assert.deepEqual(validateAllowlistShell({ allowlist: 1, outbound: { name: 'x' } }), [
    { path: ['outbound'], message: 'outbound must be a list', keyword: 'type', target: 'value' },
  ]);
});

test('a misspelt key names the key and lists the known ones', () => {
  assert.deepEqual(validateOutboundRule({ ...rule, prots: 443 }), [
    {
      path: ['prots'],
      message: 'unknown key "prots"; expected one of name, description, vendor, from, to, ports, protocol, ticket, owner, expires',
      keyword: 'additionalProperties',
      target: 'key',
    },
  ]);
  const [top] = validateAllowlistShell({ allowlist: 1, outbund: [] });
  assert.equal(top.message, 'unknown key "outbund"; did you mean outbound?');
  assert.deepEqual(top.path, ['outbund']);
});

test('a misspelt required key is one issue that names the key it likely means, not also a missing key', () => {
  assert.deepEqual(validateOutboundRule({ name: 'web', to: 'example.com', prots: 443 }), [
    { path: ['prots'], message: 'unknown key "prots"; did you mean ports?', keyword: 'additionalProperties', target: 'key', suggestion: 'ports' },
  ]);
  const inbound = validateInboundRule({ name: 'rdp', form: '10.0.0.0/8', to: '10.0.0.5', ports: 3389 });
  assert.deepEqual(inbound.map((issue) => issue.message), ['unknown key "form"; did you mean from?']);
  // Far from every key: the list of known keys, and the missing key said on its own.
  const far = validateOutboundRule({ name: 'web', to: 'example.com', colour: 'red' }).map((issue) => issue.message);
  assert.deepEqual(far.sort(), ['outbound rule is missing required key "ports"', 'unknown key "colour"; expected one of name, description, vendor, from, to, ports, protocol, ticket, owner, expires']);
});

test('typical value mistakes: message and path', () => {
  const cases: [object, (string | number)[], string][] = [
    [{ ...rule, protocol: 'icmp' }, ['protocol'], 'protocol must be one of tcp, udp, any'],
    [{ ...rule, expires: '2027-13-01' }, ['expires'], 'expires must be a date (YYYY-MM-DD)'],
    [{ ...rule, expires: '31.01.2027' }, ['expires'], 'expires must be a date (YYYY-MM-DD)'],
    [{ ...rule, ports: { from: 1 } }, ['ports'], 'ports must be a port (443), a range ("2001-2500"), a list of those, or "any"'],
    [{ ...rule, ports: [443, true] }, ['ports', 1], 'ports item 2 must be a port (443) or a range ("2001-2500")'],
    [{ ...rule, ports: [] }, ['ports'], 'ports must not be empty'],
    [{ ...rule, to: [] }, ['to'], 'to must not be empty'],
    [{ ...rule, to: ['a.example.com', 7] }, ['to', 1], 'to item 2 must be an address: a hostname, *.wildcard hostname, IP address, CIDR network or any'],
    [{ name: 'r', ports: 443 }, [], 'outbound rule is missing required key "to"'],
  ];
  for (const [value, path, message] of cases) {
    assert.deepEqual(
      validateOutboundRule(value).map((issue) => ({ path: issue.path, message: issue.message })),
      [{ path, message }],
      JSON.stringify(value),
    );
  }
});

test('inbound rules need `from`, outbound rules do not', () => {
  assert.deepEqual(validateOutboundRule(rule), []);
  assert.deepEqual(
    validateInboundRule(rule).map((issue) => issue.message),
    ['inbound rule is missing required key "from"'],
  );
});

test('file-level mistakes: version, vendor options, exclusions', () => {
  const issues = validateAllowlistShell({
    allowlist: 2,
    vendors: { 'helpdesk-buttons': null, other: 3 },
    'endpoint-protection': { products: ['webroot'], exclusions: [{ products: ['webroot'] }] },
  });
  assert.deepEqual(
    issues.map((issue) => [issue.path, issue.message]),
    [
      [['allowlist'], 'allowlist must be 1 (the allowlist format version)'],
      [['vendors', 'other'], 'other must be a mapping of option names to values (or nothing, for the defaults)'],
      [['endpoint-protection', 'exclusions', 0], 'exclusions item 1 is missing required key "path"'],
    ],
  );
  assert.deepEqual(validateAllowlistShell({ site: 'x' }).map((issue) => issue.message), ['allowlist is missing required key "allowlist"']);
});

test('catalog schema: ports must be in range and ids kebab-case', () => {
  const issues = validateCatalog({
    catalog: 1,
    vendor: { id: 'Helpdesk Buttons', name: 'x' },
    endpoints: [{ id: 'e', role: 'r', host: 'a.example.com', ports: [0, '2001-2500'], 'allowlist-by': 'hostname', source: { url: 'https://a.example/' } }],
  });
  assert.deepEqual(
    issues.map((issue) => [issue.path, issue.message]),
    [
      [['vendor', 'id'], 'id must be an id: lower-case letters, digits and single dashes (e.g. techconnect-session)'],
      [['endpoints', 0, 'ports', 0], 'ports item 1 must be a port (1-65535) or a range "A-B"'],
    ],
  );
});

test('catalog schema: source URLs and product links must be http(s), never javascript: or data:', () => {
  const issues = validateCatalog({
    catalog: 1,
    vendor: { id: 'acme', name: 'Acme' },
    endpoints: [{ id: 'e', role: 'r', host: 'a.example.com', ports: [443], 'allowlist-by': 'hostname', source: { url: 'javascript:alert(1)' } }],
    products: [{ product: 'p', name: 'P', problem: 'x', links: ['https://a.example/', 'data:text/html,<b>x</b>'], source: { url: 'http://a.example/' } }],
  });
  assert.deepEqual(
    issues.map((issue) => [issue.path, issue.message]),
    [
      [['endpoints', 0, 'source', 'url'], 'url must be an http(s) URL (https://…)'],
      [['products', 0, 'links', 1], 'links item 2 must be an http(s) URL (https://…)'],
    ],
  );
});

/** Editors show `title`/`description`/`examples` on hover and completion: every property must have them
 * (directly or through its `$ref`). */
test('every allowlist schema property has a title, a description and examples', () => {
  const schema = JSON.parse(readFileSync(packagePath('schemas', 'allowlist.schema.json'), 'utf8'));
  const resolve = (node: Record<string, unknown>): Record<string, unknown> => {
    const ref = node.$ref as string | undefined;
    return ref ? { ...resolve(schema.$defs[ref.replace('#/$defs/', '')]), ...node } : node;
  };
  const missing: string[] = [];
  const visit = (node: Record<string, unknown>, where: string): void => {
    const resolved = resolve(node);
    for (const [name, property] of Object.entries((resolved.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      const full = resolve(property);
      for (const key of ['title', 'description', 'examples']) if (!(key in full)) missing.push(`${where}.${name}: ${key}`);
      visit(full, `${where}.${name}`);
      if (typeof full.items === 'object') visit(full.items as Record<string, unknown>, `${where}.${name}[]`);
    }
  };
  visit(schema, '');
  visit(schema.$defs.outboundRule, 'outboundRule');
  visit(schema.$defs.inboundRule, 'inboundRule');
  assert.deepEqual(missing, []);
});
