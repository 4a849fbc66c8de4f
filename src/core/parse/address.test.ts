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

test('parseAddress: IPv6 addresses and networks, read by hand, are what ipaddr reads (validity, groups, text, host bits)', () => {
  const groupTexts = ['0', '1', '00', '000', '0000', 'db8', '2001', 'ffff', 'FFFF', 'aBc', '8000', '00001', '12345', 'g', ''];
  const tails = ['', '', '', '%eth0', '.1', ':', '::', '1.2.3.4', ':1.2.3.4'];
  const prefixes = ['0', '1', '16', '17', '48', '64', '96', '127', '128', '129', '064', ''];
  let state = 7;
  const random = (below: number): number => {
    state = (state * 48271) % 2147483647;
    return state % below;
  };
  let checked = 0;
  for (let run = 0; run < 20000; run++) {
    const groups = Array.from({ length: 1 + random(10) }, () => groupTexts[random(groupTexts.length)]);
    // Mostly the usual shapes: zeros as runs (some compressed to "::", at most once mostly), plain groups.
    if (random(3) > 0) groups.splice(random(groups.length + 1), random(4), ...Array.from({ length: random(4) }, () => '0'));
    let address = groups.join(':');
    if (random(2) === 0) {
      const at = random(address.length + 1);
      address = `${address.slice(0, at)}::${address.slice(at)}`;
    }
    if (random(4) === 0) address += tails[random(tails.length)];
    for (const text of [address, `${address}/${prefixes[random(prefixes.length)]}`]) {
      const parsed = parseAddress(text, { start: 0, end: 0 });
      const [part, prefixText] = text.split('/');
      if (!part.includes(':') || part.includes('%') && prefixText !== undefined) continue;
      const valid = ipaddr.IPv6.isValid(part) && (prefixText === undefined || (/^\d{1,3}$/.test(prefixText) && Number(prefixText) <= 128));
      assert.equal(parsed.kind === 'ipv6' || parsed.kind === 'cidr', valid, text);
      if (!valid) continue;
      checked++;
      const prefix = prefixText === undefined ? 128 : Number(prefixText);
      const network = ipaddr.IPv6.networkAddressFromCIDR(`${part.replace(/%.*$/, '')}/${prefix}`);
      assert.equal(parsed.network?.canonical, prefix === 128 ? network.toString() : `${network.toString()}/${prefix}`, text);
      assert.equal(parsed.network?.base, network.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n), text);
      if (prefixText !== undefined) assert.equal(parsed.problem !== undefined, network.toString() !== new ipaddr.IPv6(ipaddr.IPv6.parse(part).parts).toString(), text);
    }
  }
  assert.ok(checked > 3000, `only ${checked} valid addresses`);
  // The edges of the form read by hand: "::" for one group or all, at either end, and what ipaddr rejects.
  for (const text of ['::', '::1', '1::', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8', '1:0:0:2:0:0:0:3', '0:0:1:0:0:1:0:0', '1:2:3:4:5:6:7::8', '1::2::3', ':1::', '1::2:', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'fe80::1%eth0', '::ffff:1.2.3.4']) {
    const parsed = parseAddress(text, { start: 0, end: 0 });
    assert.equal(parsed.kind === 'ipv6', ipaddr.IPv6.isValid(text), text);
    if (parsed.kind === 'ipv6') assert.equal(parsed.network?.canonical, new ipaddr.IPv6(ipaddr.IPv6.parse(text).parts).toString(), text);
  }
});

test('parseAddress: host names, checked by one scan, have the problems they had (or none)', () => {
  const valid = ['example.com', 'a.b', 'x_y.example', 'a-b.c-d.example', `${'a'.repeat(63)}.com`, 'EXAMPLE.COM.', '1a.2b', 'a.1b'];
  const invalid = ['', 'a..b', '.a', '-a.com', 'a-.com', `${'a'.repeat(64)}.com`, `${'a.'.repeat(127)}com`, 'a.123', 'a$b.com', 'ex ample.com', 'exa*mple.com', 'é.com', '123'];
  for (const text of valid) assert.equal(parseAddress(text, { start: 0, end: 0 }).kind, 'hostname', text);
  for (const text of invalid) {
    const parsed = parseAddress(text, { start: 0, end: 0 });
    assert.equal(parsed.kind, 'invalid', text);
    assert.ok(parsed.problem && parsed.problem.length > 0, text);
  }
  assert.match(parseAddress('http://example.com', { start: 0, end: 0 }).problem ?? '', /is a URL/);
  assert.match(parseAddress('git+ssh://example.com', { start: 0, end: 0 }).problem ?? '', /is a URL/);
  assert.equal(parseAddress('1http://example.com', { start: 0, end: 0 }).problem?.includes('is a URL'), false);
});
