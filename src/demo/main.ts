// Entry point of dist/demo.js, run as its own process by the extension:
//   node dist/demo.js --port 0 --traffic 10
// First stdout line once listening: "PULSE_DEMO_LISTENING http://127.0.0.1:<port>".

import { USAGE, UsageError, parseArgs, type DemoOptions } from './args';
import { startDemoService, type DemoServiceHandle } from './service';

/** Hard limit for a graceful stop; the extension expects the process gone within 1 s. */
const SHUTDOWN_DEADLINE_MS = 800;

async function main(): Promise<void> {
  // A parent that closes our stdout pipe must not crash us with EPIPE.
  process.stdout.on('error', () => undefined);

  let options: DemoOptions | 'help';
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`pulse-demo: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  let service: DemoServiceHandle;
  try {
    service = await startDemoService({
      ...options,
      echo: (line) => process.stdout.write(line + '\n'),
      onListening: (url) => process.stdout.write(`PULSE_DEMO_LISTENING ${url}\n`),
    });
  } catch (err) {
    process.stderr.write(`pulse-demo: error: ${(err as Error).message}\n`);
    process.exit(1);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(130); // second Ctrl-C: give up on graceful
    }
    stopping = true;
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`pulse-demo: error during ${signal} shutdown: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`pulse-demo: fatal: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
