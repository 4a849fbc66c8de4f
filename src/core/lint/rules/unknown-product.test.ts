import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findingsOf, rangeText } from '../testing';

const file = (products: string) => `allowlist: 1\nvendors:\n  helpdesk-buttons: {}\nendpoint-protection:\n  products: [${products}]\n`;

test('unknown-product: a misspelt product is reported with the catalog product it likely means, and a fix', () => {
  const text = file('defender, adgaurd');
  const [finding, ...rest] = findingsOf(text, 'unknown-product');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), 'adgaurd');
  assert.equal(finding.message, 'product "adgaurd" is not one the loaded catalogs know, so no vendor\'s advice about it is checked; did you mean adguard?');
  const fixed = applyFix(text, finding.fixes![0]);
  assert.equal(fixed, file('defender, adguard'));
  // Fixed, the vendor's advice about AdGuard is back.
  assert.equal(findingsOf(fixed, 'product-advice').length, 1);
  assert.deepEqual(findingsOf(fixed, 'unknown-product'), []);
});

test('unknown-product: known products in any case, and products far from every known one, pass', () => {
  assert.deepEqual(findingsOf(file('Webroot, AdGuard, defender, sentinelone, crowdstrike'), 'unknown-product'), []);
  assert.deepEqual(findingsOf('allowlist: 1\nendpoint-protection:\n  products: []\n', 'unknown-product'), []);
});
