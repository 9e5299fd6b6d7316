#!/usr/bin/env node
// Installs (idempotently) code-server + Node 24 into ${PULSE_CACHE_DIR:-~/.cache/pulse},
// or starts one for manual poking. The library lives in scripts/lib/codeserver.mjs
// and is re-exported here.
//
//   node scripts/code-server.mjs                 install if missing (or broken), print where
//   node scripts/code-server.mjs start [FOLDER]  start on a free loopback port with Pulse
//                                                in development mode; Ctrl-C stops it
//   node scripts/code-server.mjs path            print the cache paths as JSON
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, startCodeServer, paths } from './lib/codeserver.mjs';

export * from './lib/codeserver.mjs';

async function main() {
  const [cmd = 'install', arg] = process.argv.slice(2);
  if (cmd === 'install') {
    const cs = await ensureCodeServer();
    console.log(`code-server ${cs.version}: ${cs.nodeBin} ${cs.entry}`);
  } else if (cmd === 'path') {
    console.log(JSON.stringify(paths(), null, 2));
  } else if (cmd === 'start') {
    const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
    const workspace = arg ? resolve(arg) : mkdtempSync(join(tmpdir(), 'pulse-ws-'));
    const srv = await startCodeServer({ workspace });
    console.log(`code-server ${srv.version} on ${srv.url} (log ${srv.logFile})`);
    console.log(`open: ${srv.workbenchUrl({ payload: srv.devPayload(root) })}`);
    await new Promise((res) => { process.once('SIGINT', res); process.once('SIGTERM', res); });
    await srv.stop();
  } else {
    console.error('usage: node scripts/code-server.mjs [install|start [FOLDER]|path]');
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(`[code-server] ${e.message}`); process.exit(1); });
}
