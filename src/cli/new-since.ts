/** `allowlist lint --new-since REF`: keep only the findings the work tree introduces over REF. Each linted file
 * whose text changed is linted again as it is at REF (with its encoding's finding); a finding is old when a finding
 * with the same rule id and subject existed there (subjects of renamed or moved rules follow the rule, as in
 * `allowlist diff`). A file whose text did not change keeps only an encoding finding REF did not have. A file moved
 * or renamed since REF (git's rename detection) is compared with its old path's text; other files absent at REF keep
 * all their findings. The note of how many were left out goes into every output format. */
import { dirname, relative } from 'node:path';
import { type Finding, safeJson } from '../core/common';
import { filesBeforeWorkTree, GitError, matchRules, repositoryTop, resolveRevision, subjectRewriter } from '../core/diff';
import { type DecodedText, findingsOfDecoded, isEncodingFinding } from '../core/files';
import type { FileReport, Format } from '../core/lint';
import { parseAllowlist } from '../core/parse';
import { CliError } from './common';

export interface NewSinceResult {
  ref: string;
  commit: string;
  /** How many findings existed at REF and were left out. */
  leftOut: number;
}

/**
 * Filters `files` in place. `lintAt(path, text)` lints a file's text at REF with the same options as the
 * work tree's (the lint command passes its own). `paths` are the files' absolute paths, in `files` order.
 */
/** The repository REF is of: the current folder's, else (run from outside one) the first linted file's. */
function lintedRepository(cwd: string, files: { path: string }[]): string {
  try {
    return repositoryTop(cwd);
  } catch (error) {
    if (!(error instanceof GitError) || files.length === 0) throw error;
    return repositoryTop(dirname(files[0].path));
  }
}

export function applyNewSince(
  cwd: string,
  ref: string,
  files: { report: FileReport; path: string }[],
  lintAt: (path: string, text: string) => Finding[],
): NewSinceResult {
  let root: string;
  let commit: string;
  try {
    root = lintedRepository(cwd, files);
    commit = resolveRevision(root, ref);
  } catch (error) {
    if (error instanceof GitError) throw new CliError(`--new-since: ${error.message}`);
    throw error;
  }
  const rel = (path: string): string => relative(root, path).replace(/\\/g, '/');
  const inside = files.filter((file) => !rel(file.path).startsWith('..'));
  // A file moved or renamed since REF is compared with its old self.
  let texts: Map<string, DecodedText>;
  try {
    texts = filesBeforeWorkTree(
      root,
      commit,
      inside.map((file) => rel(file.path)),
    );
  } catch (error) {
    if (error instanceof GitError) throw new CliError(`--new-since: ${error.message}`);
    throw error;
  }
  let leftOut = 0;
  for (const file of inside) {
    const before = texts.get(rel(file.path));
    if (before === undefined || file.report.findings.length === 0) continue;
    // Text unchanged since REF: linted again with the same options, it would give the same findings, so REF's are the
    // file's own but for the encoding's (a file saved again as UTF-16), and no rule moved. Most files of a pull request
    // are (one site changed of hundreds): no second lint and no two parses for each.
    const unchanged = before.text === file.report.text;
    const old = unchanged
      ? [...(before.finding ? [before.finding] : []), ...file.report.findings.filter((finding) => !isEncodingFinding(finding))]
      : findingsOfDecoded(before, (text) => lintAt(file.path, text));
    const rewrite = unchanged ? (subject: string) => subject : subjectRewriter(matchRules(parseAllowlist(before.text).model, parseAllowlist(file.report.text).model));
    const count = new Map<string, number>();
    for (const finding of old) {
      const key = `${finding.ruleId}\n${rewrite(finding.subject)}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    file.report.findings = file.report.findings.filter((finding) => {
      const key = `${finding.ruleId}\n${finding.subject}`;
      const left = count.get(key) ?? 0;
      if (left === 0) return true;
      count.set(key, left - 1);
      leftOut++;
      return false;
    });
  }
  return { ref, commit, leftOut };
}

export function newSinceSentence(result: NewSinceResult): string {
  const n = result.leftOut;
  return `--new-since ${result.ref}: ${n} finding${n === 1 ? '' : 's'} that already existed at ${result.ref} (${result.commit.slice(0, 7)}) ${n === 1 ? 'is' : 'are'} not shown`;
}

/** Adds the note to a formatted report: a line (text), a notice (github), a field (json), run properties and a notification (sarif). */
export function withNewSinceNote(format: Format, output: string, result: NewSinceResult): string {
  const sentence = newSinceSentence(result);
  const info = { ref: result.ref, commit: result.commit, leftOut: result.leftOut };
  switch (format) {
    case 'text':
      return `${output}${sentence}\n`;
    case 'github': {
      const escaped = sentence.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
      return `${output}::notice title=allowlist --new-since::${escaped}\n`;
    }
    case 'json': {
      const json = JSON.parse(output) as Record<string, unknown>;
      json.newSince = info;
      return `${safeJson(JSON.stringify(json, null, 2))}\n`;
    }
    case 'sarif': {
      const sarif = JSON.parse(output) as { runs?: { properties?: Record<string, unknown>; invocations?: { toolExecutionNotifications?: unknown[] }[] }[] };
      for (const run of sarif.runs ?? []) {
        run.properties = { ...(run.properties ?? {}), newSince: info };
        run.invocations ??= [{ executionSuccessful: true } as { toolExecutionNotifications?: unknown[] }];
        const invocation = run.invocations[0];
        invocation.toolExecutionNotifications = [...(invocation.toolExecutionNotifications ?? []), { level: 'note', message: { text: sentence } }];
      }
      return `${safeJson(JSON.stringify(sarif, null, 2))}\n`;
    }
  }
}
