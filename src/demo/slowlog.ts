// Service log in the Python-logging style our users' services write, e.g.
//   2026-01-18 14:23:45 - WARNING - SLOW REQUEST: POST /api/v1/chat took 3456ms (threshold: 3000ms)
// Pulse tails this file, so every line is appended synchronously (no buffering:
// a line is on disk the moment the request finishes) and the format is exact.

import * as fs from 'node:fs';
import * as path from 'node:path';

export type LogLevel = 'INFO' | 'WARNING' | 'ERROR';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time, "YYYY-MM-DD HH:MM:SS". */
export function formatLocalTime(d: Date): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

export function formatLogLine(level: LogLevel, message: string, at: Date = new Date()): string {
  return `${formatLocalTime(at)} - ${level} - ${message}`;
}

export function slowRequestMessage(method: string, path: string, tookMs: number, thresholdMs: number): string {
  return `SLOW REQUEST: ${method} ${path} took ${Math.round(tookMs)}ms (threshold: ${Math.round(thresholdMs)}ms)`;
}

export class ServiceLog {
  private fd: number | null = null;

  /**
   * file: path to append to (null = no file). echo: also hand each line to this
   * (the CLI prints them to stdout). A file that cannot be opened is reported
   * through echo/stderr and logging continues without it.
   */
  constructor(
    readonly file: string | null,
    private readonly echo?: (line: string) => void,
  ) {
    if (file === null) return;
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.fd = fs.openSync(file, 'a');
    } catch (err) {
      const msg = formatLogLine('ERROR', `cannot open log file ${file}: ${(err as Error).message}`);
      if (echo) echo(msg);
      else process.stderr.write(msg + '\n');
    }
  }

  info(message: string): void {
    this.write('INFO', message);
  }
  warning(message: string): void {
    this.write('WARNING', message);
  }
  error(message: string): void {
    this.write('ERROR', message);
  }

  slowRequest(method: string, path: string, tookMs: number, thresholdMs: number, at?: Date): void {
    this.write('WARNING', slowRequestMessage(method, path, tookMs, thresholdMs), at);
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed / disk gone: nothing left to flush
    }
    this.fd = null;
  }

  private write(level: LogLevel, message: string, at?: Date): void {
    const line = formatLogLine(level, message, at);
    if (this.fd !== null) {
      try {
        fs.writeSync(this.fd, line + '\n');
      } catch {
        // A full disk must not take the API down; keep serving.
      }
    }
    this.echo?.(line);
  }
}
