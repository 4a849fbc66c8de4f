import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogSources, nearestConfig } from './uri-workspace';

const ROOT = 'vscode-vfs://github/contoso/firewall';

test("the browser's catalog sources: the config's in a trusted workspace only, the setting's resolved against the workspace folder", () => {
  const configCatalogs = [`${ROOT}/shared/vendors`];
  const settingCatalogs = ['extra/acme.catalog.yaml', `${ROOT}/other/`, '', 42];
  assert.deepEqual(catalogSources({ trusted: true, configCatalogs, settingCatalogs, base: ROOT }), {
    workspace: true,
    paths: [
      { uri: `${ROOT}/shared/vendors`, origin: 'from the config' },
      { uri: `${ROOT}/extra/acme.catalog.yaml`, origin: 'allowlist.catalogs' },
      { uri: `${ROOT}/other/`, origin: 'allowlist.catalogs' },
    ],
  });
  assert.deepEqual(catalogSources({ trusted: false, configCatalogs, settingCatalogs: ['extra'], base: `${ROOT}/` }), {
    workspace: false,
    paths: [{ uri: `${ROOT}/extra`, origin: 'allowlist.catalogs' }],
  });
  // Without a workspace folder only URIs can be read.
  assert.deepEqual(catalogSources({ trusted: true, configCatalogs: [], settingCatalogs: ['extra', `${ROOT}/x`] }).paths, [{ uri: `${ROOT}/x`, origin: 'allowlist.catalogs' }]);
});

test("the browser's nearest config: the first config file at or above the folder, up to the root of the URI's authority", async () => {
  const asked: string[] = [];
  const texts: Record<string, string> = { [`${ROOT}/.allowlistrc.yml`]: 'rules:\n  shadowed-rule: error\n' };
  const read = async (uri: string) => {
    asked.push(uri);
    return texts[uri];
  };
  const config = await nearestConfig(`${ROOT}/sites/north`, read);
  assert.equal(config.rules['shadowed-rule']?.severity, 'error');
  assert.deepEqual(asked.slice(0, 2), [`${ROOT}/sites/north/.allowlistrc.yaml`, `${ROOT}/sites/north/.allowlistrc.yml`]);
  assert.equal(asked.at(-1), `${ROOT}/.allowlistrc.yml`);
  asked.length = 0;
  assert.deepEqual((await nearestConfig('vscode-vfs://github/contoso/elsewhere', read)).rules, {});
  // The walk ends at the root of the URI's authority.
  assert.equal(asked.at(-1), 'vscode-vfs://github/.allowlistrc.json');
});
