/** The Sites view's words for each site of a fleet report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FleetReport, Site } from '../../core/report';
import { summarizeSites } from './summary';

function site(name: string, file: string, counts: Partial<Site>, lines: number[] = []): Site {
  return {
    name,
    file,
    vendors: [],
    errors: 0,
    warnings: 0,
    infos: 0,
    findingsByRule: {},
    findings: lines.map((line) => ({ ruleId: 'r', severity: 'warning', line, column: 1, message: 'm' })),
    ...counts,
  };
}

const REPORT: FleetReport = {
  reportVersion: 1,
  today: '2026-12-01',
  days: 30,
  totals: { sites: 3, findings: 4, errors: 2, warnings: 2, infos: 0 },
  vendors: [
    { id: 'hdb', name: 'Helpdesk Buttons' },
    { id: 'm365', name: 'Microsoft 365' },
  ],
  sites: [
    site('Alpha', 'a.allowlist.yaml', { errors: 2, warnings: 1, vendors: ['hdb', 'm365'] }, [43, 12, 60]),
    site('Bravo', 'sites/b.allowlist.yaml', { warnings: 1, vendors: ['m365'] }, [7]),
    site('Charlie', 'c.allowlist.yaml', { infos: 0 }),
  ],
  matrix: [
    {
      site: 'Alpha',
      file: 'a.allowlist.yaml',
      cells: [
        { vendor: 'hdb', status: 'unmet', roles: ['establish TechConnect session', 'upload files'], unmet: [{ ruleId: 'missing-ports', line: 43, missing: 'x' }], line: 43 },
        { vendor: 'm365', status: 'met', roles: [], unmet: [], line: 5 },
      ],
    },
    {
      site: 'Bravo',
      file: 'sites/b.allowlist.yaml',
      cells: [
        { vendor: 'hdb', status: 'not-used', roles: [], unmet: [] },
        { vendor: 'm365', status: 'met', roles: [], unmet: [], line: 3 },
      ],
    },
    { site: 'Charlie', file: 'c.allowlist.yaml', cells: [{ vendor: 'hdb', status: 'not-used', roles: [], unmet: [] }, { vendor: 'm365', status: 'not-used', roles: [], unmet: [] }] },
  ],
  rules: [],
  inboundOpen: [],
  expiries: [
    { date: '2026-06-30', daysLeft: -154, expired: true, site: 'Alpha', file: 'a.allowlist.yaml', line: 89, rule: 'xray-migration', direction: 'outbound' },
    { date: '2026-12-01', daysLeft: 0, expired: false, site: 'Bravo', file: 'sites/b.allowlist.yaml', line: 9, rule: 'today-only', direction: 'outbound' },
    { date: '2026-12-20', daysLeft: 19, expired: false, site: 'Alpha', file: 'a.allowlist.yaml', line: 30, rule: 'soon', direction: 'inbound' },
  ],
};

test('each site: state by its worst severity, counts, vendors met of declared, the soonest expiry, the first finding\'s line', () => {
  const [alpha, bravo, charlie] = summarizeSites(REPORT);
  assert.deepEqual(
    [alpha, bravo, charlie].map(({ name, file, state, description, line }) => ({ name, file, state, description, line })),
    [
      { name: 'Alpha', file: 'a.allowlist.yaml', state: 'error', description: '2 errors, 1 warning · 1/2 vendors met · expired 2026-06-30', line: 12 },
      { name: 'Bravo', file: 'sites/b.allowlist.yaml', state: 'warning', description: '1 warning · 1/1 vendors met · expires today', line: 7 },
      { name: 'Charlie', file: 'c.allowlist.yaml', state: 'ok', description: 'no problems', line: undefined },
    ],
  );
});

test('the tooltip names the unmet roles in the vendor\'s words, each vendor declared, and every expiry', () => {
  const [alpha, , charlie] = summarizeSites(REPORT);
  assert.equal(
    alpha.tooltip,
    [
      'Alpha — a.allowlist.yaml',
      '2 errors, 1 warning, 0 info',
      '',
      'Vendors:',
      '✗ Helpdesk Buttons: unmet: establish TechConnect session; upload files',
      '✓ Microsoft 365: met',
      '',
      'Expired or expiring within 30 days:',
      'xray-migration (outbound): expired 2026-06-30',
      'soon (inbound): expires 2026-12-20',
    ].join('\n'),
  );
  assert.equal(charlie.tooltip, 'Charlie — c.allowlist.yaml\n0 errors, 0 warnings, 0 info');
});
