import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortSpan } from './ports';

/** What a port string meant before "from-to" was read by hand: the regular expression alone. */
function byExpression(value: string): { from: number; to: number; problem: boolean } {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  if (!match) return { from: 0, to: 0, problem: true };
  const from = Number(match[1]);
  const to = match[2] === undefined ? from : Number(match[2]);
  return { from, to, problem: [from, to].some((port) => port < 1 || port > 65535) || to < from };
}

test('parsePortSpan: a "from-to" string read by hand means what the regular expression read', () => {
  const pieces = ['0', '1', '9', '22', '443', '0443', '65535', '65536', '99999', '1234567890', '', ' ', '-', 'x', '１'];
  let state = 3;
  const pick = (): string => {
    state = (state * 48271) % 2147483647;
    return pieces[state % pieces.length];
  };
  for (let run = 0; run < 20000; run++) {
    const value = Array.from({ length: 1 + (run % 4) }, pick).join(run % 3 === 0 ? '' : '-');
    const span = parsePortSpan({ value, range: { start: 0, end: 0 } });
    const expected = byExpression(value);
    assert.deepEqual({ from: span.from, to: span.to, problem: span.problem !== undefined }, expected, value);
  }
  assert.equal(parsePortSpan({ value: '2001-2500', range: { start: 0, end: 0 } }).problem, undefined);
  assert.equal(parsePortSpan({ value: '70000-70001', range: { start: 0, end: 0 } }).problem, 'port 70000 is outside 1-65535');
  assert.equal(parsePortSpan({ value: '1-70001', range: { start: 0, end: 0 } }).problem, 'port 70001 is outside 1-65535');
  assert.match(parsePortSpan({ value: '500-400', range: { start: 0, end: 0 } }).problem ?? '', /is reversed; did you mean "400-500"/);
});
