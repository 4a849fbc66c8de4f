import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { ipFamily, maskPrefix, networkText, parseAddress, rangeToNetworks } from './address';

test('address: a range becomes the fewest CIDR networks that cover exactly it', () => {
  assert.deepEqual(rangeToNetworks('10.0.0.1', '10.0.0.6'), ['10.0.0.1', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6']);
  assert.deepEqual(rangeToNetworks('192.0.2.0', '192.0.2.255'), ['192.0.2.0/24']);
  assert.deepEqual(rangeToNetworks('0.0.0.0', '255.255.255.255'), ['0.0.0.0/0']);
  assert.deepEqual(rangeToNetworks('2001:db8::', '2001:db8::ffff:ffff'), ['2001:db8::/96']);
  assert.deepEqual(rangeToNetworks('2001:db8::1', '2001:db8::1'), ['2001:db8::1']);
  assert.equal(rangeToNetworks('::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe')?.length, 128);
});

test('address: a range of two families, backwards or of non-addresses has no networks', () => {
  assert.equal(rangeToNetworks('10.0.0.9', '10.0.0.1'), undefined);
  assert.equal(rangeToNetworks('10.0.0.1', '::1'), undefined);
  assert.equal(rangeToNetworks('example.com', '10.0.0.1'), undefined);
});

test('networkText, maskPrefix, ipFamily: the networks configurations write, as an allowlist writes them', () => {
  assert.equal(networkText('10.1.2.3', 24, 4), '10.1.2.0/24');
  assert.equal(networkText('10.1.2.3', 32, 4), '10.1.2.3');
  assert.equal(networkText('10.1.2.3', 0, 4), 'any');
  assert.equal(networkText('2001:db8:0:0::1', 48, 6), '2001:db8::/48');
  assert.equal(networkText('10.1.2.3', 33, 4), undefined);
  assert.equal(networkText('2001:db8::1', 24, 4), undefined, 'not of the family asked for');
  assert.equal(maskPrefix('255.255.255.0'), 24);
  assert.equal(maskPrefix('0.0.0.0'), 0);
  assert.equal(maskPrefix('255.0.255.0'), undefined, 'not contiguous');
  assert.equal(maskPrefix('255.255.255'), undefined);
  assert.deepEqual(['1.2.3.4', '::ffff:1.2.3.4', 'fe80::1%eth0', '010.0.0.1', '1'].map(ipFamily), [4, 6, undefined, undefined, undefined]);
});

test('parseAddress: IPv4 addresses and networks, read by hand, are what ipaddr reads (validity, network, host bits)', () => {
  const octets = ['0', '1', '3', '9', '10', '42', '99', '127', '200', '254', '255', '256', '00', '01', '010', '1000', ''];
  const prefixes = ['0', '1', '8', '23', '24', '31', '32', '33', '08', ''];
  let checked = 0;
  let state = 1;
  const pick = (list: string[]): string => {
    state = (state * 48271) % 2147483647;
    return list[state % list.length];
  };
  for (let run = 0; run < 3000; run++) {
    const address = Array.from({ length: [4, 4, 4, 3, 5][run % 5] }, () => pick(octets)).join('.');
    for (const text of [address, `${address}/${pick(prefixes)}`]) {
      const parsed = parseAddress(text, { start: 0, end: 0 });
      const [part, prefixText] = text.split('/');
      const valid = ipaddr.IPv4.isValidFourPartDecimal(part) && (prefixText === undefined || (/^\d{1,3}$/.test(prefixText) && Number(prefixText) <= 32));
      assert.equal(parsed.kind !== 'invalid', valid, text);
      if (!valid) continue;
      checked++;
      const prefix = prefixText === undefined ? 32 : Number(prefixText);
      const base = ipaddr.IPv4.networkAddressFromCIDR(`${part}/${prefix}`).toString();
      assert.equal(parsed.network?.canonical, prefix === 32 ? base : `${base}/${prefix}`, text);
      assert.equal(parsed.network?.base, BigInt(ipaddr.IPv4.parse(base).toByteArray().reduce((value, byte) => value * 256 + byte, 0)), text);
      assert.equal(parsed.problem !== undefined, base !== part, text);
    }
  }
  assert.ok(checked > 300, `only ${checked} valid addresses`);
});

test('parseAddress: IPv6 networks, their host bits cleared 16 bits at a time, are what ipaddr computes', () => {
  for (const address of ['2001:db8::1', '2001:db8:ffff:8000::ffff', 'fe80::1:2:3:4', '::', '::ffff:192.0.2.1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']) {
    for (const prefix of [0, 1, 15, 16, 17, 47, 48, 64, 113, 127, 128]) {
      const text = `${address}/${prefix}`;
      const parsed = parseAddress(text, { start: 0, end: 0 });
      const network = ipaddr.IPv6.networkAddressFromCIDR(text);
      assert.equal(parsed.network?.canonical, prefix === 128 ? network.toString() : `${network.toString()}/${prefix}`, text);
      assert.equal(parsed.network?.base, network.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n), text);
      assert.equal(parsed.problem !== undefined, network.toString() !== ipaddr.IPv6.parse(address).toString(), text);
    }
  }
});
