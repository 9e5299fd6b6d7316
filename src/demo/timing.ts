// Simulated waits. Every simulated latency goes through one Sleeper so that
// --speed compresses them uniformly and shutdown can cut them all short.

export class ShutdownError extends Error {
  constructor() {
    super('demo service is shutting down');
  }
}

export class Sleeper {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  private stopped = false;

  constructor(readonly speed: number) {}

  /** Real milliseconds for a simulated duration. */
  real(simMs: number): number {
    return simMs / this.speed;
  }

  /** Waits simMs / speed; rejects with ShutdownError once stop() is called. */
  sleep(simMs: number): Promise<void> {
    if (this.stopped) return Promise.reject(new ShutdownError());
    const ms = this.real(simMs);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.pending.add(entry);
    });
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new ShutdownError());
    }
    this.pending.clear();
  }
}
