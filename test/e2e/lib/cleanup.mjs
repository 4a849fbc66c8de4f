// Teardown registry: runners call cleanup() in `finally`; Ctrl+C / SIGTERM (e.g. from
// @vscode/test-electron) run it too, so no code-server or chromium outlives the test.
const tasks = [];
export function onCleanup(fn) {
  tasks.push(fn);
}
/** Runs the registered teardowns; returns how many there were. */
export async function cleanup() {
  const n = tasks.length;
  // Last registered first: the browser goes before the server it talks to.
  while (tasks.length) {
    try { await tasks.pop()(); } catch (e) { console.error('cleanup:', e.message); }
  }
  return n;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => cleanup().finally(() => process.exit(130)));
}
