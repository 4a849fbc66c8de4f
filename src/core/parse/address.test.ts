import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeToNetworks } from './address';

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
