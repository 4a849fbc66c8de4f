import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectPlatform } from './detect';

const TESTDATA = join(__dirname, 'readers/testdata');

test('detectPlatform: FortiOS backups and show output, config.xml by its root element, the JSON of nft -j', () => {
  const cases: [string, string | undefined][] = [
    [readFileSync(join(TESTDATA, 'fortigate/branch.conf'), 'utf8'), 'fortigate'],
    ['#config-version=FGT60F-7.0.12-FW-build0523-230606:opmode=0:vdom=0\n#conf_file_ver=1\nconfig system global\nend\n', 'fortigate'],
    ['\n    config firewall policy\n        edit 1\n        next\n    end\n', 'fortigate'],
    [readFileSync(join(TESTDATA, 'pfsense/config.xml'), 'utf8'), 'pfsense'],
    ['\uFEFF<?xml version="1.0"?>\n<!-- backup -->\n<pfsense>\n</pfsense>\n', 'pfsense'],
    ['{"nftables": [{"metainfo": {"version": "1.0.6"}}]}', 'nftables'],
    ['{\n  "nftables": []\n}\n', 'nftables'],
    // Not a configuration any reader takes: an allowlist, other XML, other JSON, nothing.
    ['allowlist: 1\noutbound: []\n', undefined],
    ['<?xml version="1.0"?>\n<config><firewall/></config>\n', undefined],
    ['{"rules": []}', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(detectPlatform(text)?.id, expected, JSON.stringify(text.slice(0, 60)));
});

test('detectPlatform: an <opnsense> config.xml is the OPNsense reader when one is registered, never pfSense', () => {
  const found = detectPlatform('<?xml version="1.0"?>\n<opnsense>\n</opnsense>\n');
  assert.ok(found === undefined || found.id === 'opnsense', found?.id);
});
