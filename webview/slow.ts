// The dashboard's "Slow requests" card: the newest slow lines of the followed log files, with
// the slow-per-minute rate. Rebuilt whole on each message (at most 20 rows, 4× a second).

import type { SlowRequestsMessage, SlowRequestView } from '../src/dashboard/protocol';
import { h, setText } from './dom';
import { fmtClock, fmtMs } from './format';

/** 1 (up to 2× the threshold), 2 (up to 5×), 3 (beyond), as the editor grades them. */
function level(r: SlowRequestView): number {
  const ratio = r.durationMs !== null && r.thresholdMs > 0 ? r.durationMs / r.thresholdMs : 1;
  return ratio > 5 ? 3 : ratio > 2 ? 2 : 1;
}

export function slowRowText(r: SlowRequestView): string {
  return [fmtClock(r.at), [r.method, r.path].filter(Boolean).join(' ') || '(request)', fmtMs(r.durationMs), r.status === null ? '' : String(r.status), r.source].join(' | ');
}

export class SlowList {
  readonly el: HTMLElement;
  private readonly meta = h('span', { class: 'card-meta' });
  private readonly empty = h('p', { class: 'card-empty' }, 'Slow requests appear here when a log is followed (Pulse: Follow Log File…).');
  private readonly body = h('tbody');
  private readonly table = h(
    'table',
    { class: 'slow-table', hidden: true },
    h('thead', null, h('tr', null, h('th', null, 'Time'), h('th', null, 'Request'), h('th', { class: 'num' }, 'Duration'), h('th', { class: 'num' }, 'Status'), h('th', null, 'Log'))),
    this.body,
  );
  private rows: string[] = [];

  constructor() {
    this.el = h(
      'section',
      { class: 'card wide slow-card', 'aria-labelledby': 'title-slow' },
      h('header', { class: 'card-head' }, h('h2', { class: 'card-title', id: 'title-slow' }, 'Slow requests'), this.meta),
      this.empty,
      this.table,
    );
  }

  update(m: SlowRequestsMessage): void {
    const following = m.following.map((f) => f.split(/[\\/]/).pop()).join(', ');
    setText(this.meta, m.following.length ? `${m.perMinute ?? 0}/min · following ${following}` : '');
    setText(this.empty, m.following.length ? `No slow requests in ${following} since following began.` : 'Slow requests appear here when a log is followed (Pulse: Follow Log File…).');
    this.empty.hidden = m.items.length > 0;
    this.table.hidden = m.items.length === 0;
    this.rows = m.items.map(slowRowText);
    this.body.replaceChildren(
      ...m.items.map((r) =>
        h(
          'tr',
          null,
          h('td', { class: 'time' }, fmtClock(r.at)),
          h('td', { class: 'req', title: r.path ?? '' }, [r.method, r.path].filter(Boolean).join(' ') || '(request)'),
          h('td', { class: `num slow-l${level(r)}`, title: `threshold ${fmtMs(r.thresholdMs)}` }, fmtMs(r.durationMs)),
          h('td', { class: 'num' }, r.status === null ? '' : String(r.status)),
          h('td', { class: 'src' }, r.source),
        ),
      ),
    );
  }

  /** What the list shows, one string per row (tests compare it with the host's list). */
  texts(): string[] {
    return this.rows.slice();
  }
}
