// The extension is present in the real VS Code, activates, and registers every
// command it contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test } from './harness';

const ID = 'pulse-dev.pulse-perf';

test('extension pulse-dev.pulse-perf is present', () => {
  const ext = vscode.extensions.getExtension(ID);
  assert.ok(ext, `extension ${ID} not found; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
});

test('extension activates', async () => {
  const ext = vscode.extensions.getExtension(ID);
  assert.ok(ext);
  await ext.activate();
  assert.equal(ext.isActive, true);
}, { timeout: 60_000 });

test('contributed pulse.* commands are registered', async () => {
  const ext = vscode.extensions.getExtension(ID);
  assert.ok(ext);
  await ext.activate();
  const contributed: string[] = ((ext.packageJSON?.contributes?.commands ?? []) as { command: string }[])
    .map((c) => c.command)
    .filter((c) => c.startsWith('pulse.'));
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = contributed.filter((c) => !registered.has(c));
  assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  // Commands registered in code under pulse.* are fine without contribution (internal ones),
  // but every contributed one must exist.
});
