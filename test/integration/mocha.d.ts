// The slice of mocha's API the in-host suite uses. mocha is a test/e2e tool (test/e2e/tools),
// not a project dependency, so its types are declared here for `tsc -p .`.
declare module 'mocha' {
  type Done = (err?: unknown) => void;
  type Fn = (this: Context, done: Done) => void | Promise<unknown>;
  interface Context {
    timeout(ms: number): void;
    skip(): never;
  }
  export function describe(title: string, fn: () => void): void;
  export function it(title: string, fn?: Fn): void;
  export function before(fn: Fn): void;
  export function after(fn: Fn): void;
  export function beforeEach(fn: Fn): void;
  export function afterEach(fn: Fn): void;
  interface MochaOptions {
    ui?: string;
    color?: boolean;
    timeout?: number;
    reporter?: string;
  }
  class Mocha {
    constructor(options?: MochaOptions);
    static reporters: { Base: { consoleLog: (...args: unknown[]) => void } };
    addFile(file: string): this;
    run(done: (failures: number) => void): unknown;
  }
  export default Mocha;
}
