// Command-line options of the demo service. Defaults live here so the CLI and
// startDemoService() (used in-process by tests) behave the same.

export interface DemoOptions {
  port: number;
  host: string;
  /** Synthetic requests per second against itself; 0 disables. */
  traffic: number;
  /** Slow-request / startup log; null disables the file. */
  logFile: string | null;
  poolSize: number;
  cacheWarmupSeconds: number;
  injectLatencyMs: number;
  injectErrorRate: number;
  /** Divides every simulated latency (time-lapse for tests). */
  speed: number;
  /** null = random seed. */
  seed: number | null;
  /** Route template -> slow threshold in ms; '*' is the default for routes not listed. */
  slowThresholdsMs: Record<string, number>;
}

export const DEFAULT_OPTIONS: Readonly<DemoOptions> = Object.freeze({
  port: 8000,
  host: '127.0.0.1',
  traffic: 10,
  logFile: './demo-service.log',
  poolSize: 13,
  cacheWarmupSeconds: 45,
  injectLatencyMs: 0,
  injectErrorRate: 0,
  speed: 1,
  seed: null,
  slowThresholdsMs: Object.freeze({ '*': 1000, '/api/v1/chat': 3000 }) as Record<string, number>,
});

export const USAGE = `Usage: node dist/demo.js [options]

Pulse demo service: a FastAPI-style forecast / chat API with Prometheus metrics.

Options:
  --port <n>                   port to listen on (default 8000; 0 = any free port)
  --host <addr>                address to bind (default 127.0.0.1)
  --traffic <req/s>            built-in synthetic traffic (default 10; 0 disables)
  --log-file <path>            slow-request log, appended (default ./demo-service.log)
  --no-log-file                do not write a log file
  --pool-size <n>              simulated DB connection pool size (default 13)
  --cache-warmup-seconds <s>   time for the cache to go from ~15% to ~75% hits (default 45)
  --inject-latency-ms <ms>     extra latency on every API request (default 0)
  --inject-error-rate <0..1>   extra fraction of API requests failing with 500 (default 0)
  --speed <x>                  divide all simulated latencies by x (default 1)
  --seed <n>                   seed the random generator (reproducible runs)
  --slow-threshold-ms <ms>     slow-request threshold for every route (default 1000, chat 3000)
  --slow-threshold-ms <route>=<ms>  threshold for one route, e.g. /api/v1/chat=5000
  -h, --help                   show this help
`;

export class UsageError extends Error {}

function num(flag: string, raw: string | undefined, min: number, max: number, integer = false): number {
  if (raw === undefined || raw === '') throw new UsageError(`${flag} needs a value`);
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag}: expected ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got "${raw}"`);
  }
  return n;
}

function applyThreshold(thresholds: Record<string, number>, raw: string | undefined): Record<string, number> {
  const flag = '--slow-threshold-ms';
  if (raw === undefined || raw === '') throw new UsageError(`${flag} needs a value`);
  const eq = raw.lastIndexOf('=');
  if (eq < 0) return { '*': num(flag, raw, 0, 3_600_000) }; // a bare number resets every route
  const route = raw.slice(0, eq);
  if (!route.startsWith('/')) throw new UsageError(`${flag}: route must start with "/", got "${route}"`);
  return { ...thresholds, [route]: num(flag, raw.slice(eq + 1), 0, 3_600_000) };
}

/** Parses argv (without node and script). Returns 'help' when help was asked for. */
export function parseArgs(argv: readonly string[]): DemoOptions | 'help' {
  const o: DemoOptions = { ...DEFAULT_OPTIONS, slowThresholdsMs: { ...DEFAULT_OPTIONS.slowThresholdsMs } };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--no-log-file') {
      o.logFile = null;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    // Both "--flag value" and "--flag=value".
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    switch (flag) {
      case '--port': o.port = num(flag, value, 0, 65535, true); break;
      case '--host':
        if (!value) throw new UsageError(`${flag} needs a value`);
        o.host = value;
        break;
      case '--traffic': o.traffic = num(flag, value, 0, 5000); break;
      case '--log-file':
        if (!value) throw new UsageError(`${flag} needs a value`);
        o.logFile = value;
        break;
      case '--pool-size': o.poolSize = num(flag, value, 1, 10_000, true); break;
      case '--cache-warmup-seconds': o.cacheWarmupSeconds = num(flag, value, 0, 86_400); break;
      case '--inject-latency-ms': o.injectLatencyMs = num(flag, value, 0, 600_000); break;
      case '--inject-error-rate': o.injectErrorRate = num(flag, value, 0, 1); break;
      case '--speed': o.speed = num(flag, value, 0.001, 100_000); break;
      case '--seed': o.seed = num(flag, value, 0, 2 ** 32 - 1, true); break;
      case '--slow-threshold-ms': o.slowThresholdsMs = applyThreshold(o.slowThresholdsMs, value); break;
      default: throw new UsageError(`unknown option "${flag}" (see --help)`);
    }
  }
  return o;
}

/** Threshold for a route template, falling back to '*'. */
export function slowThresholdFor(thresholds: Record<string, number>, template: string): number {
  return thresholds[template] ?? thresholds['*'] ?? 1000;
}
