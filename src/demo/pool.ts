// Simulated DB connection pool. Requests that need the DB wait in a FIFO queue
// when all connections are busy, which is what makes latency climb under load
// (queueing), as with SQLAlchemy's QueuePool.

export class PoolTimeoutError extends Error {}
export class PoolClosedError extends Error {}

interface Waiter {
  grant(): void;
  fail(e: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export type Release = () => void;

export class ConnectionPool {
  private busy = 0;
  private peak = 0;
  private readonly queue: Waiter[] = [];
  private closed = false;

  constructor(readonly size: number) {}

  get active(): number {
    return this.busy;
  }
  get idle(): number {
    return this.size - this.busy;
  }
  get waiting(): number {
    return this.queue.length;
  }
  /** Highest number of connections ever checked out at once. */
  get maxActive(): number {
    return this.peak;
  }

  /** Resolves with a release function; rejects after timeoutMs (real ms) in the queue. */
  acquire(timeoutMs: number): Promise<Release> {
    if (this.closed) return Promise.reject(new PoolClosedError('pool closed'));
    if (this.busy < this.size) {
      this.busy++;
      this.peak = Math.max(this.peak, this.busy);
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(this.releaser()),
        fail: reject,
        timer: undefined,
      };
      waiter.timer = setTimeout(() => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(
          new PoolTimeoutError(
            `QueuePool limit of size ${this.size} overflow 0 reached, connection timed out`,
          ),
        );
      }, timeoutMs);
      this.queue.push(waiter);
    });
  }

  /** Runs fn holding one connection. */
  async use<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(timeoutMs);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Fails every waiter; connections already out are still returned normally. */
  close(): void {
    this.closed = true;
    for (const w of this.queue.splice(0)) {
      clearTimeout(w.timer);
      w.fail(new PoolClosedError('pool closed'));
    }
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return; // double release must not free someone else's connection
      done = true;
      const next = this.queue.shift();
      if (next) {
        // Hand the connection straight over: active stays the same, FIFO order is kept.
        clearTimeout(next.timer);
        next.grant();
      } else {
        this.busy--;
      }
    };
  }
}
