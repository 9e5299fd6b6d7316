// Fault injection, so a regression can be staged on demand: extra latency
// and/or extra 500s, for every API route or for one route template.

export interface Fault {
  latencyMs: number;
  errorRate: number;
}

/** A POST /admin/inject body: fields left out keep their current value. */
export interface FaultRequest {
  latencyMs?: number;
  errorRate?: number;
  /** Route template or a concrete path; null = every API route. */
  endpoint: string | null;
}

export interface FaultState {
  global: Fault | null;
  endpoints: Record<string, Fault>;
}

export class FaultValidationError extends Error {}

const NO_FAULT: Fault = Object.freeze({ latencyMs: 0, errorRate: 0 });

/** Validates the JSON body of POST /admin/inject. */
export function parseFaultRequest(body: unknown): FaultRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FaultValidationError('expected a JSON object like {"latencyMs": 250, "errorRate": 0.05, "endpoint": "/api/v1/forecast"}');
  }
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (key !== 'latencyMs' && key !== 'errorRate' && key !== 'endpoint') {
      throw new FaultValidationError(`unknown field "${key}" (allowed: latencyMs, errorRate, endpoint)`);
    }
  }
  const { latencyMs, errorRate } = b;
  const endpoint = b.endpoint ?? null;
  if (latencyMs !== undefined && (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 600_000)) {
    throw new FaultValidationError('latencyMs must be a number between 0 and 600000');
  }
  if (errorRate !== undefined && (typeof errorRate !== 'number' || !Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1)) {
    throw new FaultValidationError('errorRate must be a number between 0 and 1');
  }
  if (endpoint !== null && (typeof endpoint !== 'string' || !endpoint.startsWith('/'))) {
    throw new FaultValidationError('endpoint must be a path starting with "/", e.g. "/api/v1/forecast"');
  }
  return { latencyMs, errorRate, endpoint };
}

export class FaultInjector {
  private global: Fault | null = null;
  private readonly perEndpoint = new Map<string, Fault>();

  /**
   * Updates the fault of one scope (null = global). Fields left out keep their
   * value, so "add latency" then "add errors" gives both; 0 clears a field, and
   * a scope whose fields are all 0 disappears.
   */
  update(endpoint: string | null, change: { latencyMs?: number; errorRate?: number }): void {
    const current = (endpoint === null ? this.global : this.perEndpoint.get(endpoint)) ?? NO_FAULT;
    const copy = { latencyMs: change.latencyMs ?? current.latencyMs, errorRate: change.errorRate ?? current.errorRate };
    const empty = copy.latencyMs === 0 && copy.errorRate === 0;
    if (endpoint === null) this.global = empty ? null : copy;
    else if (empty) this.perEndpoint.delete(endpoint);
    else this.perEndpoint.set(endpoint, copy);
  }

  reset(): void {
    this.global = null;
    this.perEndpoint.clear();
  }

  /** Global and per-route faults combined: latencies add, failure chances compound. */
  forEndpoint(template: string): Fault {
    const g = this.global ?? NO_FAULT;
    const e = this.perEndpoint.get(template) ?? NO_FAULT;
    return {
      latencyMs: g.latencyMs + e.latencyMs,
      errorRate: 1 - (1 - g.errorRate) * (1 - e.errorRate),
    };
  }

  state(): FaultState {
    return {
      global: this.global ? { ...this.global } : null,
      endpoints: Object.fromEntries([...this.perEndpoint].map(([k, v]) => [k, { ...v }])),
    };
  }
}
