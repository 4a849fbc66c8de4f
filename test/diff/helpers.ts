/** Fixtures for the diff and Action tests: allowlists, and git repositories in temporary folders. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SITE = `allowlist: 1
vendors:
  helpdesk-buttons: {}
outbound:
  - name: hdb-api
    vendor: helpdesk-buttons
    to: [flu1pjyrr2.execute-api.us-east-1.amazonaws.com, kdwq222yo3.execute-api.us-east-1.amazonaws.com, e4rz8vlrg0.execute-api.us-east-1.amazonaws.com]
    ports: 443
  - name: hdb-uploads
    vendor: helpdesk-buttons
    to: hdb-stuff.s3.amazonaws.com
    ports: 443
  - name: hdb-techconnect
    vendor: helpdesk-buttons
    to: connect.helpdeskbuttons.com
    ports: [443, "2001-2500"]
`;

export const OFFICE = `allowlist: 1
outbound:
  - name: web
    to: example.com
    ports: 443
`;

/** The change a pull request makes: drops hdb-uploads, opens inbound 443 from anywhere. */
export const SITE_HEAD = SITE.replace('  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n', '') + 'inbound:\n  - name: ticket-api\n    from: any\n    to: 10.0.0.20\n    ports: 443\n';

export interface Repo {
  dir: string;
  git(...args: string[]): string;
  write(path: string, text: string): void;
  remove(path: string): void;
  commit(message: string): string;
  cleanup(): void;
}

export function makeRepo(files: Record<string, string>): Repo {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-diff-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const repo: Repo = {
    dir,
    git,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    remove(path) {
      unlinkSync(join(dir, path));
    },
    commit(message) {
      git('add', '-A');
      git('-c', 'user.email=test@example.com', '-c', 'user.name=Test', 'commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  git('init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(files)) repo.write(path, text);
  repo.commit('base');
  return repo;
}

