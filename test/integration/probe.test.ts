// "Allowlist: Probe Every Endpoint in This File" in the extension host, against servers this test starts
// on 127.0.0.1: one port with a listener (open), one port that was free a moment ago (closed).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { openInEditor, workspaceUri } from './helpers';

interface ProbeViewLike {
  file: string;
  results: { rule: string; host: string; address: string; port?: number; state: string }[];
}

/** A port that nothing listens on: bound by us to 0 (the OS picks) and released again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Allowlist: Probe Every Endpoint in This File (127.0.0.1 only)', () => {
  const file = workspaceUri('probe-fixture', 'loopback.allowlist.yaml');
  const server = net.createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  let accepted = 0;
  let openPort = 0;
  let shutPort = 0;

  before(async () => {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as net.AddressInfo).port;
    shutPort = await closedPort();
    fs.mkdirSync(workspaceUri('probe-fixture').fsPath, { recursive: true });
    fs.writeFileSync(file.fsPath, [
      'allowlist: 1',
      'site: probe fixture (servers started by the test on 127.0.0.1)',
      'outbound:',
      '  - name: listening-service',
      '    to: 127.0.0.1',
      `    ports: ${openPort}`,
      '    ticket: T-1',
      '  - name: nothing-listens',
      '    to: 127.0.0.1',
      `    ports: ${shutPort}`,
      '    ticket: T-2',
      '',
    ].join('\n'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    server.close();
    fs.rmSync(workspaceUri('probe-fixture').fsPath, { recursive: true, force: true });
  });

  it('reports the listening port open and the free port closed', async function () {
    this.timeout(180_000);
    await openInEditor(file);
    const view = await vscode.commands.executeCommand<ProbeViewLike | undefined>('allowlist.probeFile', file);
    assert.ok(view, 'the probe did not run (untrusted workspace, or nothing to probe?)');
    const states = view.results.map((r) => `${r.rule} ${r.address}:${r.port} ${r.state}`);
    assert.deepStrictEqual(
      states.sort(),
      [`listening-service 127.0.0.1:${openPort} open`, `nothing-listens 127.0.0.1:${shutPort} closed`],
    );
    assert.ok(accepted >= 1, 'the listening server never saw a connection');
  });
});
