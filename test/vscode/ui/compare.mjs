// UI check: baselines from the command palette — two runs of a demo target (the second with
// injected latency) recorded by the CLI, the first saved as a baseline through the pickers, then
// "Compare with Baseline…" against the newest run: the comparison view says "regressed" and shows
// the targets table. The screenshot (test-artifacts/compare.png) is the README's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTarget } from './loadtest.mjs';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const timeout = 120_000;

function recordRun(workspace, out) {
  execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'load', 'ui-compare.loadtest.json', '--out', out], { cwd: workspace, stdio: 'ignore' });
}

async function comparisonFrame(page, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (await f.evaluate(() => document.title.startsWith('Pulse: ') && !!document.querySelector('h1 .verdict')).catch(() => false)) return f;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the comparison view did not open');
}

async function pick(page, title, text) {
  // The picker is up once its title shows (the palette's input is the same widget).
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout: 20_000 });
  // Filter first: with many runs in the workspace the row may be scrolled out of the list.
  await page.locator('.quick-input-widget input').fill(text);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

export async function run({ page, helpers, workspace }) {
  const { base, stop } = await startTarget();
  try {
    mkdirSync(join(workspace, '.pulse', 'runs'), { recursive: true });
    writeFileSync(join(workspace, 'ui-compare.loadtest.json'), JSON.stringify({ name: 'ui compare', target: base, model: { kind: 'open', rate: 50 }, profile: 'steady', duration: '4s', requests: [{ method: 'GET', path: '/api/v1/forecast?city=Oslo' }] }));
    // A first run warms the target's cache, so the baseline is not its cold start.
    recordRun(workspace, join(tmpdir(), `pulse-ui-warmup-${process.pid}.json`));
    recordRun(workspace, join('.pulse', 'runs', '1-before.json'));
    // The target runs at --speed 10: 300 ms injected is 30 ms.
    await fetch(`${base}/admin/inject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 300 }) });
    recordRun(workspace, join('.pulse', 'runs', '2-after.json'));
  } finally {
    stop();
  }
  await helpers.runCommand('Pulse: Save Run as Baseline');
  await pick(page, 'save which run', '1-before.json');
  // The same widget turns into the name box: wait for its title before typing.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'baseline name' }).waitFor({ state: 'visible', timeout: 10_000 });
  const name = page.locator('.quick-input-widget input');
  await name.fill('before the change');
  // Enter is ignored while the box still validates what was typed: press until the file is there.
  const saved = join(workspace, '.pulse', 'baselines', 'before-the-change.json');
  for (let i = 0; i < 20 && !existsSync(saved); i++) {
    if (i % 4 === 0) await page.keyboard.press('Enter');
    await page.waitForTimeout(250);
  }
  if (!existsSync(saved)) throw new Error(`the baseline was not saved as ${saved}`);

  await helpers.runCommand('Pulse: Compare with Baseline');
  await pick(page, 'compare with which baseline', 'before the change');
  await pick(page, 'compare which run', '2-after.json');
  const frame = await comparisonFrame(page);
  const verdict = await frame.evaluate(() => document.querySelector('h1 .verdict').textContent);
  if (verdict !== 'regressed') throw new Error(`expected the verdict "regressed", the view says "${verdict}"`);
  const body = await frame.evaluate(() => document.body.innerText);
  for (const want of [/Targets/, /p95 latency/, /Metric\s+Baseline\s+Target\s+Current\s+Change/]) {
    if (!want.test(body)) throw new Error(`the comparison view lacks ${want}: ${body.slice(0, 400)}`);
  }
  await page.keyboard.press('Escape');
  await helpers.screenshot('compare', page.locator('.monaco-workbench'));

  // A window reload brings the view back with the same comparison. (The web workbench writes its
  // editor layout to storage on a timer, not reliably during unload: give it time first.)
  await page.waitForTimeout(5000);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await helpers.waitForWorkbench();
  const again = await comparisonFrame(page);
  const after = await again.evaluate(() => document.querySelector('h1 .verdict')?.textContent);
  if (after !== 'regressed') throw new Error(`after a reload the view says "${after}"`);
}
