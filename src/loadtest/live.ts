// The load test running in this window (or the last one), as the dashboard shows it.

import * as vscode from 'vscode';
import type { LoadProgress } from '../core/load/engine';
import type { LoadSecond } from '../core/load/types';
import type { LoadRunView, LoadSecondView } from '../dashboard/protocol';

export class LoadRunTracker implements vscode.Disposable {
  run: LoadRunView | undefined;
  seconds: LoadSecondView[] = [];
  private readonly emitter = new vscode.EventEmitter<{ run: LoadRunView; added: LoadSecondView[]; reset: boolean }>();
  readonly onDidChange = this.emitter.event;

  start(id: string, name: string, durationS: number, model: 'open' | 'closed'): void {
    this.run = { id, name, startedAt: Date.now(), durationS, model, state: 'running', requests: 0, rps: 0, p95: null, errors: 0 };
    this.seconds = [];
    this.emitter.fire({ run: this.run, added: [], reset: true });
  }

  second(s: LoadSecond, p: LoadProgress): void {
    if (!this.run) return;
    const v: LoadSecondView = {
      // s.t counts seconds from 0; the view marks the end of each second.
      t: this.run.startedAt + (s.t + 1) * 1000,
      sent: s.sent,
      completed: s.completed,
      errors: s.errors,
      target: s.targetRate ?? p.target,
      achieved: s.completed,
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      status: s.status,
    };
    this.seconds.push(v);
    // Keep a soak test's view bounded: one day of seconds at most.
    if (this.seconds.length > 86_400) this.seconds.shift();
    Object.assign(this.run, { requests: p.requests, rps: p.rps, p95: p.p95, errors: p.errors });
    this.emitter.fire({ run: this.run, added: [v], reset: false });
  }

  end(state: LoadRunView['state']): void {
    if (!this.run) return;
    this.run.state = state;
    this.emitter.fire({ run: this.run, added: [], reset: false });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
