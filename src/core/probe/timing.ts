/** Per-address connect time-outs that adapt to measured round trips, the way nmap's do: a first
 * guess near one second, then srtt + 4 * rttvar (RFC 6298) with a floor, never above the cap. Probes
 * in flight follow the estimate as it changes, so once a closed port answers in 1 ms, ports behind a
 * dropping firewall stop waiting a whole second. */
export class AdaptiveTimeout {
  static readonly initialMs = 1000;
  static readonly floorMs = 100;
  /** Node's timers count whole milliseconds: one may fire up to this much before its deadline by performance.now. */
  private static readonly timerSlackMs = 1;

  private srtt?: number;
  private rttvar = 0;
  /** The probes waiting: when each started, and what it does on its time-out. */
  private readonly waiting = new Set<{ startedAt: number; onTimeout: () => void }>();
  /** One timer for all of them, set for the earliest deadline (or earlier): a sweep's hundreds of probes would
   * otherwise each set a timer and re-set it on every answer, which was about a third of a sweep's CPU. */
  private timer?: NodeJS.Timeout;
  private timerDeadline = Infinity;

  constructor(private readonly capMs: number) {}

  /** Time-out for a probe starting now. */
  current(): number {
    if (this.srtt === undefined) return Math.min(AdaptiveTimeout.initialMs, this.capMs);
    const estimate = Math.max(AdaptiveTimeout.floorMs, this.srtt + 4 * this.rttvar);
    return Math.min(estimate, this.capMs);
  }

  /** Records the time a SYN took to be answered (by SYN-ACK or RST). */
  sample(ms: number): void {
    const before = this.current();
    if (this.srtt === undefined) {
      this.srtt = ms;
      this.rttvar = ms / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms);
      this.srtt = 0.875 * this.srtt + 0.125 * ms;
    }
    // A shorter time-out brings the deadlines forward at once; a longer one is seen when the timer comes due.
    if (this.current() < before) this.arm();
  }

  /** Calls `onTimeout` once `current()` ms have passed since `startedAt`, following later changes
   * of the estimate. Returns a function that cancels the wait. */
  wait(startedAt: number, onTimeout: () => void): () => void {
    const waiter = { startedAt, onTimeout };
    this.waiting.add(waiter);
    if (startedAt + this.current() < this.timerDeadline) this.arm();
    return () => {
      this.waiting.delete(waiter);
      // Nothing waits: no timer may keep the process alive.
      if (this.waiting.size === 0) this.disarm();
    };
  }

  /** Sets the timer for the earliest deadline of the probes waiting. */
  private arm(): void {
    this.disarm();
    const timeout = this.current();
    let earliest = Infinity;
    for (const { startedAt } of this.waiting) earliest = Math.min(earliest, startedAt + timeout);
    if (earliest === Infinity) return;
    this.timerDeadline = earliest;
    this.timer = setTimeout(() => this.due(), Math.max(0, earliest - performance.now()));
  }

  /** The timer came due. After a stretch of other work (a busy machine, a CLI that was starting), answers that arrived
   * meanwhile are read after the timers, in the same turn of the event loop: deciding once they are read (setImmediate)
   * keeps a port that answered from being reported as filtered. */
  private due(): void {
    this.timer = undefined;
    this.timerDeadline = -Infinity; // a decision is pending: no new timer until it is made
    setImmediate(() => this.expire());
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDeadline = Infinity;
  }

  /** Times out the probes whose deadline has come (by the estimate now), then waits for the next. */
  private expire(): void {
    const now = performance.now() + AdaptiveTimeout.timerSlackMs;
    const timeout = this.current();
    const expired = [...this.waiting].filter(({ startedAt }) => startedAt + timeout <= now);
    for (const waiter of expired) this.waiting.delete(waiter);
    this.arm();
    for (const { onTimeout } of expired) onTimeout();
  }
}
