import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipFamily, maskPrefix, networkText, rangeToNetworks } from './address';

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
