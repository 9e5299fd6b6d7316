// /health reflects what the service actually did lately: "degraded" (503) when
// at least DEGRADED_ERROR_RATIO of the API requests in the last WINDOW_SECONDS
// failed with 5xx (and there were at least MIN_REQUESTS of them). Injecting a
// heavy error rate therefore flips health within a few requests.

export const WINDOW_SECONDS = 30;
export const DEGRADED_ERROR_RATIO = 0.2;
export const MIN_REQUESTS = 10;

interface Bucket {
  second: number;
  total: number;
  errors: number;
}

export class RecentOutcomes {
  private readonly buckets: Bucket[];

  constructor(private readonly now: () => number = Date.now) {
    this.buckets = Array.from({ length: WINDOW_SECONDS }, () => ({ second: -1, total: 0, errors: 0 }));
  }

  record(isServerError: boolean): void {
    const second = Math.floor(this.now() / 1000);
    const b = this.buckets[second % WINDOW_SECONDS];
    if (!b) return;
    if (b.second !== second) {
      b.second = second;
      b.total = 0;
      b.errors = 0;
    }
    b.total++;
    if (isServerError) b.errors++;
  }

  totals(): { requests: number; errors: number } {
    const oldest = Math.floor(this.now() / 1000) - WINDOW_SECONDS + 1;
    let requests = 0;
    let errors = 0;
    for (const b of this.buckets) {
      if (b.second >= oldest) {
        requests += b.total;
        errors += b.errors;
      }
    }
    return { requests, errors };
  }
}

export interface HealthReport {
  status: 'healthy' | 'degraded';
  httpStatus: 200 | 503;
  recentRequests: number;
  recentErrors: number;
  recentErrorRate: number;
}

export function evaluateHealth(outcomes: RecentOutcomes): HealthReport {
  const { requests, errors } = outcomes.totals();
  const ratio = requests > 0 ? errors / requests : 0;
  const degraded = requests >= MIN_REQUESTS && ratio >= DEGRADED_ERROR_RATIO;
  return {
    status: degraded ? 'degraded' : 'healthy',
    httpStatus: degraded ? 503 : 200,
    recentRequests: requests,
    recentErrors: errors,
    recentErrorRate: Math.round(ratio * 10000) / 10000,
  };
}
