// The `pulse` command: the same core as the extension, for terminals and CI.

import { compare, COMPARE_USAGE } from './compare';
import { health, HEALTH_USAGE } from './health';
import { load, LOAD_USAGE } from './load';
import { logs, LOGS_USAGE } from './logs';
import { UsageError } from './args';

const USAGE = `Pulse — local performance profiling

usage:
  ${HEALTH_USAGE}
  ${LOAD_USAGE}
  ${LOGS_USAGE}
  ${COMPARE_USAGE}
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  switch (cmd) {
    case 'health':
      return health(rest, out);
    case 'load':
      return load(rest, out);
    case 'logs':
      return logs(rest, out);
    case 'compare':
      return compare(rest, out);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      out(USAGE);
      return cmd ? 0 : 2;
    default:
      throw new UsageError(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

// `pulse … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`pulse: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
