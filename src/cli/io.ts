/** What a CLI command may touch of the outside world: its output streams, working folder and environment.
 * `main()` takes one, so tests run commands in-process with strings for streams. */
import { FileReadError, megabytes } from '../core/files';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
  /** Standard input, for `allowlist lint -` (absent: there is none to read). */
  stdin?: AsyncIterable<Uint8Array>;
}

/** The real process's streams and environment. */
export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    // Made on first use: creating process.stdin opens a stream on it, which only `lint -` reads.
    get stdin() {
      return process.stdin;
    },
  };
}

/** All of standard input, at most `maxBytes` of it (as files are read: more is refused, not buffered). */
export async function readStdin(io: CliIO, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of io.stdin ?? []) {
    length += chunk.length;
    if (length > maxBytes) throw inputTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function inputTooLarge(maxBytes: number): FileReadError {
  return new FileReadError(`the input is over the ${megabytes(maxBytes)} limit`, 'too-large');
}
