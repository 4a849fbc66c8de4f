/** Bytes of an allowlist or catalog as text, the same way for the CLI, the language server, probes and the diff:
 * UTF-8 (a byte order mark dropped) or UTF-16 with a byte order mark, with a finding for what cannot be linted as
 * text. */
import type { Finding } from '../common';

/** 5 MiB: twice a 10,000-rule allowlist (about 2.3 MB). The engine lints no longer text (here rather than in the
 * engine so that the catalog loader, which the engine imports, can decode without an import cycle). */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;

/** Larger files are not read at all: the engine refuses texts over MAX_FILE_SIZE with a finding, and this bounds
 * the memory spent on reading a file named by mistake (a disk image, a log) before that. */
export const MAX_READ_SIZE = 16 * MAX_FILE_SIZE;

/** Sizes as the limits are written: "1.0 MB" for 1 MiB. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A file's text, and what its bytes say of it (`decodeText`). */
export interface DecodedText {
  text: string;
  /** The encoding's finding: UTF-16, binary, or not UTF-8. */
  finding?: Finding;
}

/** The file's text; with a finding when it cannot be linted as text: binary (NUL bytes, text '') or not
 * UTF-8 (the text decoded leniently, so the finding points at the first bad byte's line and column). */
export function decodeText(bytes: Uint8Array): DecodedText {
  // UTF-16 with a byte order mark: what Windows PowerShell 5.1's `>` and Out-File write. YAML allows it, so it is
  // linted, with a warning: git and most tools take such a file for binary.
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    return {
      text: new TextDecoder(utf16).decode(bytes),
      finding: { ...fileFinding('the file is saved as UTF-16 (as Windows PowerShell 5.1\'s `>` and Out-File write it), which git and most tools treat as binary: save it as UTF-8', 'utf-16'), severity: 'warning' },
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { text: '', finding: fileFinding('the file is binary (it contains NUL bytes), not YAML', 'binary') };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, '') };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad)).replace(/^\uFEFF/, '');
    return {
      text: new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''),
      finding: {
        ...fileFinding(`the file is not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte offset ${bad}); save it as UTF-8`, 'encoding'),
        range: { start: before.length, end: before.length },
      },
    };
  }
}

/** What `decodeText` finds of a file's bytes, each the subject of its finding (`file:utf-16` …). */
const ENCODING_PROBLEMS = ['utf-16', 'binary', 'encoding'] as const;
const ENCODING_SUBJECTS = new Set<string>(ENCODING_PROBLEMS.map((problem) => `file:${problem}`));

function fileFinding(message: string, problem: (typeof ENCODING_PROBLEMS)[number]): Finding {
  return { ruleId: 'yaml-syntax', severity: 'error', message, range: { start: 0, end: 0 }, subject: `file:${problem}` };
}

/** Whether a finding is one of `decodeText`'s (about how the file is encoded, not about its text). */
export function isEncodingFinding(finding: Finding): boolean {
  return finding.ruleId === 'yaml-syntax' && ENCODING_SUBJECTS.has(finding.subject);
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i];
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    if (length === 3 && ((byte === 0xe0 && bytes[i + 1] < 0xa0) || (byte === 0xed && bytes[i + 1] >= 0xa0))) return i;
    if (length === 4 && ((byte === 0xf0 && bytes[i + 1] < 0x90) || (byte === 0xf4 && bytes[i + 1] >= 0x90))) return i;
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}

/** A decoded file's findings, the same in the CLI and the editor's workspace lint: its encoding finding, then the
 * findings `lint` gives for its text, unless the encoding leaves nothing to lint (binary). */
export function findingsOfDecoded(decoded: DecodedText, lint: (text: string) => Finding[]): Finding[] {
  if (decoded.finding?.severity === 'error') return [decoded.finding];
  return [...(decoded.finding ? [decoded.finding] : []), ...lint(decoded.text)];
}
