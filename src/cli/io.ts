/** What a CLI command may touch of the outside world: its output streams, working folder and environment.
 * `main()` takes one, so tests run commands in-process with strings for streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
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
  };
}
