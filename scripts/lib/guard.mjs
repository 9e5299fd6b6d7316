// Process-group guard: `node guard.mjs CMD ARGS...`, spawned detached (its own
// process group) with a stdin pipe from the parent. Runs CMD in the same group
// and kills the whole group as soon as that pipe closes, i.e. when the parent
// exits or dies (even by SIGKILL), so no server outlives its launcher.
import { spawn } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let done = false;

function killGroup(sig) {
  try { process.kill(-process.pid, sig); } catch {}
}
function shutdown() {
  if (done) return;
  done = true;
  try { child.kill('SIGTERM'); } catch {}
  // Whatever is still running in the group after a grace period gets SIGKILL (us included).
  setTimeout(() => killGroup('SIGKILL'), 5000).unref();
}

child.on('error', (e) => { console.error(`guard: cannot run ${cmd}: ${e.message}`); process.exit(127); });
child.on('exit', (code, signal) => {
  done = true;
  // Take down anything the child left behind in our group, then go.
  try { process.kill(-process.pid, 'SIGTERM'); } catch {}
  process.exit(code ?? (signal ? 128 + 15 : 1));
});
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('SIGHUP', shutdown);
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
