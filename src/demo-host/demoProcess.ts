// Runs the bundled demo service in its own Node process (never inside the extension host).

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';

export interface DemoStartOptions {
  script: string;
  logFile: string;
  port?: number;
  traffic?: number;
  onOutput?: (line: string) => void;
}

export class DemoProcess {
  private child: ChildProcess | undefined;
  url: string | undefined;
  logFile: string | undefined;

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts on the preferred port, or any free one when it is taken. Resolves with the base URL. */
  async start(opts: DemoStartOptions): Promise<string> {
    if (this.running && this.url) return this.url;
    if (!fs.existsSync(opts.script)) throw new Error(`demo service script missing at ${opts.script} (run "npm run build")`);
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    try {
      return await this.spawnOn(opts, opts.port ?? 8000);
    } catch (e) {
      if (!/EADDRINUSE|in use/i.test(String((e as Error).message))) throw e;
      return this.spawnOn(opts, 0);
    }
  }

  private spawnOn(opts: DemoStartOptions, port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const args = [opts.script, '--port', String(port), '--host', '127.0.0.1', '--traffic', String(opts.traffic ?? 10), '--log-file', opts.logFile];
      // In desktop VS Code execPath is Electron; ELECTRON_RUN_AS_NODE makes it plain Node.
      const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let settled = false;
      let stderr = '';
      const fail = (msg: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(msg));
      };
      const timer = setTimeout(() => fail('the demo service did not start within 15 s'), 15_000);
      let buf = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trimEnd();
          buf = buf.slice(i + 1);
          opts.onOutput?.(line);
          const m = /^PULSE_DEMO_LISTENING (\S+)/.exec(line);
          if (m && !settled) {
            settled = true;
            clearTimeout(timer);
            this.child = child;
            this.url = m[1]!;
            this.logFile = opts.logFile;
            resolve(this.url);
          }
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        for (const l of d.split('\n')) if (l.trim()) opts.onOutput?.(l);
      });
      child.on('error', (e) => fail(`could not start the demo service: ${e.message}`));
      child.on('exit', (code, signal) => {
        if (this.child === child) {
          this.child = undefined;
          this.url = undefined;
        }
        fail(`the demo service exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
      });
    });
  }

  /** Stops the process; resolves once it has exited (SIGKILL after 3 s). */
  stop(): Promise<boolean> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve(false);
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve(true);
      });
      child.kill('SIGTERM');
    });
  }
}
