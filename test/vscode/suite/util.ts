// Shared helpers for the in-host tests: the extension's API and polling for a condition.
import * as vscode from 'vscode';
import type { PulseApi } from '../../../src/extension';

export const ID = 'pulse-dev.pulse-perf';

export async function api(): Promise<PulseApi> {
  const ext = vscode.extensions.getExtension<PulseApi>(ID);
  if (!ext) throw new Error(`${ID} not loaded`);
  return ext.activate();
}

/** Polls `probe` until it returns a truthy value; the error says what was last seen. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, seen?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen ? `; last seen: ${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function setPulse(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('pulse').update(key, value, vscode.ConfigurationTarget.Global);
}
