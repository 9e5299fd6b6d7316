// Deterministic synthetic expositions for the benches: a busy service's /metrics, mostly
// histogram series (like a real HTTP service with many routes and pods), plus counters,
// gauges and summaries. Same seed → byte-identical output.
//
//   generateExposition({ scale = 1, format = 'prometheus' }) → string
//   scale 1 ≈ 30 MB, ≈ 200k samples.

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '201', '400', '404', '500'];
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const SERVICES = ['checkout-service', 'inventory-service', 'payments-gateway', 'user-profile-api'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function endpoints(n) {
  const out = [];
  const parts = ['users', 'orders', 'carts', 'items', 'invoices', 'sessions', 'reports', 'search'];
  for (let i = 0; i < n; i++) out.push(`/api/v${1 + (i % 3)}/${parts[i % parts.length]}/{id}/${parts[(i * 7 + 3) % parts.length]}/${i}`);
  return out;
}

function pods(n, service) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(`${service}-7d9f8c6b5-${(((i + 1) * 2654435761) >>> 0).toString(36).slice(0, 5)}`);
  return out;
}

function num(r, max, decimals) {
  return (r() * max).toFixed(decimals);
}

export function generateExposition({ scale = 1, format = 'prometheus' } = {}) {
  const om = format === 'openmetrics';
  const r = rng(42);
  const out = [];
  const eps = endpoints(20);
  const podCount = Math.max(1, Math.round(12 * scale));

  // Histograms: 2 families × 4 services × 12 pods × 4 methods × 10 endpoints × 3 statuses, 12 buckets.
  const hists = [
    ['http_request_duration_seconds', 'Duration of HTTP requests in seconds.'],
    ['http_response_size_bytes', 'Size of HTTP responses in bytes.'],
  ];
  for (const [name, help] of hists) {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    if (om && name.endsWith('_seconds')) out.push(`# UNIT ${name} seconds`);
    for (const service of SERVICES) {
      for (const pod of pods(podCount, service)) {
        for (const method of METHODS.slice(0, 4)) {
          for (const ep of eps.slice(0, 10)) {
            for (const status of STATUSES.slice(0, 3)) {
              const lbl = `service="${service}",pod="${pod}",method="${method}",endpoint="${ep}",status="${status}"`;
              let cum = 0;
              for (const le of BUCKETS) {
                cum += Math.floor(r() * 50);
                const ex = om && le === '0.1' && r() < 0.05 ? ` # {trace_id="${Math.floor(r() * 1e12).toString(16)}"} 0.067 1700000000.123` : '';
                out.push(`${name}_bucket{${lbl},le="${le}"} ${cum}${ex}`);
              }
              out.push(`${name}_sum{${lbl}} ${num(r, cum * 0.3, 6)}`);
              out.push(`${name}_count{${lbl}} ${cum}`);
              if (om) out.push(`${name}_created{${lbl}} 1700000000.5`);
            }
          }
        }
      }
    }
  }

  // Counters.
  const cname = om ? 'http_requests' : 'http_requests_total';
  out.push(`# HELP ${cname} Total HTTP requests, by "route" and status \\\\ outcome.`, `# TYPE ${cname} counter`);
  for (const service of SERVICES) {
    for (const pod of pods(podCount, service)) {
      for (const method of METHODS) {
        for (const ep of eps) {
          for (const status of STATUSES) {
            out.push(`http_requests_total{service="${service}",pod="${pod}",method="${method}",endpoint="${ep}",status="${status}"} ${Math.floor(r() * 1e6)}`);
          }
        }
      }
    }
  }

  // Gauges, some with timestamps (ms in 0.0.4, seconds in OpenMetrics) and escaped label values.
  out.push('# HELP db_pool_connections Connections in the pool, by state.', '# TYPE db_pool_connections gauge');
  for (const service of SERVICES) {
    for (const pod of pods(podCount, service)) {
      for (let i = 0; i < 40; i++) {
        const ts = om ? ` ${1700000000 + i}.25` : ` ${1700000000000 + i * 1000 + 250}`;
        out.push(`db_pool_connections{service="${service}",pod="${pod}",pool="primary-${i}",query="SELECT \\"x\\" FROM t\\\\${i}",state="active"} ${num(r, 100, 0)}${i % 4 === 0 ? ts : ''}`);
      }
    }
  }

  // Summaries.
  out.push('# HELP cache_lookup_seconds Cache lookup latency.', '# TYPE cache_lookup_seconds summary');
  for (const service of SERVICES) {
    for (const pod of pods(podCount, service)) {
      for (const cache of ['sessions', 'catalog', 'pricing', 'tokens']) {
        const lbl = `service="${service}",pod="${pod}",cache="${cache}"`;
        for (const q of ['0.5', '0.9', '0.99']) out.push(`cache_lookup_seconds{${lbl},quantile="${q}"} ${(r() / 1000).toExponential(4)}`);
        out.push(`cache_lookup_seconds_sum{${lbl}} ${num(r, 100, 4)}`, `cache_lookup_seconds_count{${lbl}} ${Math.floor(r() * 1e5)}`);
      }
    }
  }

  // A few special values.
  out.push('# HELP process_special_values Special float values.', '# TYPE process_special_values gauge');
  out.push('process_special_values{kind="nan"} NaN', 'process_special_values{kind="pinf"} +Inf', 'process_special_values{kind="ninf"} -Inf', 'process_special_values{kind="small"} 1.5e-7');
  if (om) out.push('# EOF');
  return out.join('\n') + '\n';
}
