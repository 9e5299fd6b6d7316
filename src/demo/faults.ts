// Fault injection, so a regression can be staged on demand: extra latency
// and/or extra 500s, for every API route or for one route template.

export interface Fault {
  latencyMs: number;
  errorRate: number;
}

export interface FaultRequest extends Fault {
  /** Route template or a concrete path; null = every API route. */
  endpoint: string | null;
}

export interface FaultState {
  global: Fault | null;
  endpoints: Record<string, Fault>;
}

export class FaultValidationError extends Error {}

const NO_FAULT: Fault = Object.freeze({ latencyMs: 0, errorRate: 0 });

/** Validates the JSON body of POST /admin/inject. Omitted fields mean 0. */
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
  const latencyMs = b.latencyMs ?? 0;
  const errorRate = b.errorRate ?? 0;
  const endpoint = b.endpoint ?? null;
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
    throw new FaultValidationError('latencyMs must be a number between 0 and 600000');
  }
  if (typeof errorRate !== 'number' || !Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1) {
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

  /** Replaces the fault for that scope (null = global); an all-zero fault removes it. */
  set(endpoint: string | null, fault: Fault): void {
    const empty = fault.latencyMs === 0 && fault.errorRate === 0;
    const copy = { latencyMs: fault.latencyMs, errorRate: fault.errorRate };
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
