import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, rangeText } from '../testing';

const HEAD = 'allowlist: 1\nvendors:\n  helpdesk-buttons: {}\n';

test("product-advice: Webroot is reported at the product with the vendor's problem, advice and link", () => {
  const text = `${HEAD}endpoint-protection:\n  products:\n    - defender\n    - Webroot\n`;
  const [finding, ...rest] = findingsOf(text, 'product-advice');
  assert.equal(rest.length, 0);
  assert.equal(finding.severity, 'warning');
  assert.equal(rangeText(text, finding), 'Webroot');
  assert.equal(finding.range.start, text.indexOf('Webroot'));
  assert.equal(finding.subject, 'vendor:helpdesk-buttons:product:webroot');
  assert.equal(
    finding.message,
    'Helpdesk Buttons warns about Webroot: "Webroot will blank most programs from taking screenshots." ' +
      'Its advice: "It may be necessary to allow applications to take screenshots without confirmation if you recieve popups about allowing screenshots." ' +
      'See https://docs.webroot.com/us/en/home/wsa_pc_userguide/wsa_pc_userguide.htm#UsingIdentityProtection/ManagingProtectedApplications.htm%3FTocPath%3DUsing%2520Identity%2520Protection%7C_____2/ ' +
      "(vendor's note: https://docs.tier2tickets.com/content/general/firewall/#webroot).",
  );
});

test("product-advice: AdGuard, which has no advice, links the vendor's note", () => {
  const text = `${HEAD}endpoint-protection:\n  products: [adguard]\n`;
  const [finding] = findingsOf(text, 'product-advice');
  assert.equal(rangeText(text, finding), 'adguard');
  assert.equal(
    finding.message,
    'Helpdesk Buttons warns about AdGuard: "AdGuard seems to block the JavaScript that populates the Press View Reports." ' +
      "Check the product's settings for it at this site. See https://docs.tier2tickets.com/content/general/firewall/#adguard.",
  );
});

test('product-advice: products without advice, or no declared vendor, pass', () => {
  assert.deepEqual(findingsOf(`${HEAD}endpoint-protection:\n  products: [defender, sentinelone]\n`, 'product-advice'), []);
  assert.deepEqual(findingsOf('allowlist: 1\nendpoint-protection:\n  products: [webroot]\n', 'product-advice'), []);
});
