/** Inputs of the CLI and language-server fuzz runs (fuzz-cli.test.ts, fuzz-server.test.ts): the corpus of past
 * crashers and hostile files (test/robustness/corpus/, replayed every run) and inputs generated from a seed
 * with the generators of mutations.ts. FUZZ_SEED and FUZZ_RUNS override the seed and the number of generated
 * inputs of each kind, for longer runs; an input that fails is written out to be added to the corpus. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { catalogArb, configArb, encode, encodingArb, mutatedArb } from './mutations';

export type InputKind = 'allowlist' | 'catalog' | 'config';

export interface FuzzInput {
  /** Unique among the inputs of a run; the corpus file's name without its suffix, or `seed-N`. */
  name: string;
  kind: InputKind;
  bytes: Buffer;
  /** How to get this input again: the corpus file, or the seed to replay. */
  origin: string;
}

export const CORPUS = join(__dirname, 'corpus');
/** Corpus files end in `.<kind>.fuzz`, so that nothing in the repository lints, loads or packages them. */
const CORPUS_SUFFIXES: Record<InputKind, string> = { allowlist: '.allowlist.fuzz', catalog: '.catalog.fuzz', config: '.allowlistrc.fuzz' };

function whole(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, not "${value}"`);
  return Number(value);
}

export const FUZZ_SEED = whole('FUZZ_SEED', 20261202);
export const FUZZ_RUNS = whole('FUZZ_RUNS', 12);

export function corpusInputs(): FuzzInput[] {
  const inputs: FuzzInput[] = [];
  for (const file of readdirSync(CORPUS).sort()) {
    const kind = (Object.keys(CORPUS_SUFFIXES) as InputKind[]).find((candidate) => file.endsWith(CORPUS_SUFFIXES[candidate]));
    if (!kind) continue;
    inputs.push({ name: file.slice(0, -CORPUS_SUFFIXES[kind].length), kind, bytes: readFileSync(join(CORPUS, file)), origin: `test/robustness/corpus/${file}` });
  }
  return inputs;
}

const ARBITRARIES: Record<InputKind, fc.Arbitrary<string>> = { allowlist: mutatedArb, catalog: catalogArb, config: configArb };

/** FUZZ_RUNS inputs of a kind; input i comes from seed FUZZ_SEED + i alone, so one input replays with
 * FUZZ_SEED=<its seed> FUZZ_RUNS=1. */
export function generatedInputs(kind: InputKind): FuzzInput[] {
  return Array.from({ length: FUZZ_RUNS }, (_, index) => {
    const seed = FUZZ_SEED + index;
    const [[text, encoding]] = fc.sample(fc.tuple(ARBITRARIES[kind], encodingArb), { seed, numRuns: 1 });
    return { name: `seed-${seed}`, kind, bytes: encode(text, encoding), origin: `FUZZ_SEED=${seed} FUZZ_RUNS=1 (generated ${kind}, ${encoding})` };
  });
}

/** The name the input is saved under for the CLI or the server to find it as what it is. */
export function fileNameOf(input: FuzzInput): string {
  return input.kind === 'config' ? '.allowlistrc.yaml' : `${input.name}.${input.kind}.yaml`;
}

/** Writes a failing input where it can be copied into the corpus as it is (see corpus/README.md); returns the path. */
export function keepFailure(input: FuzzInput): string {
  const folder = process.env.FUZZ_FAILURES ?? join(tmpdir(), 'allowlist-fuzz-failures');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${input.name}${CORPUS_SUFFIXES[input.kind]}`);
  writeFileSync(path, input.bytes);
  return path;
}

/** A report of failing inputs for an assertion message: what went wrong, where the input came from, where it was kept. */
export function failureReport(failures: { input: FuzzInput; problems: string[] }[]): string {
  return failures
    .map(({ input, problems }) => `${input.kind} ${input.name} (${input.origin}), kept as ${keepFailure(input)}:\n  ${problems.join('\n  ')}`)
    .join('\n');
}

const ERROR_NAMES = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|AggregateError|Maximum call stack|internal error)\b/;

/** Signs of a crash in an output: stack frames, JavaScript's error names, the CLI's "internal error". */
export function crashSigns(output: string, where: string): string[] {
  const problems: string[] = [];
  if (/^ {4}at /m.test(output)) problems.push(`${where} has a stack trace: ${excerpt(output, /^ {4}at /m)}`);
  if (ERROR_NAMES.test(output)) problems.push(`${where} names a JavaScript error: ${excerpt(output, ERROR_NAMES)}`);
  return problems;
}

function excerpt(output: string, pattern: RegExp): string {
  const at = output.search(pattern);
  return JSON.stringify(output.slice(Math.max(0, at - 200), at + 200));
}

/** The text an editor shows for the bytes: UTF-16 by its byte order mark, else UTF-8 (bad bytes replaced). */
export function editorText(bytes: Buffer): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}
