// UI check: a log opened in the real workbench — slow lines painted (graded backgrounds, gutter
// bars, bold durations), the hover over a slow line, and the Slow Requests view listing it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const timeout = 120_000;

function logLines() {
  const out = [];
  const routes = ['GET /api/v1/forecast?city=Oslo', 'GET /api/v1/users/7', 'POST /api/v1/orders', 'GET /api/v1/search?q=tea'];
  for (let i = 0; i < 40; i++) {
    const s = String(i % 60).padStart(2, '0');
    if (i % 9 === 4) out.push(`2026-01-18 14:23:${s} - WARNING - SLOW REQUEST: POST /api/v1/chat took ${3100 + i * 410}ms (threshold: 3000ms)`);
    else if (i % 7 === 3) out.push(`{"timestamp":"2026-01-18T14:23:${s}Z","level":"INFO","service":"api","trace_id":"t${i}","message":"Request processed","metadata":{"endpoint":"/forecast","duration_ms":${1200 + i * 150},"status":200}}`);
    else out.push(`2026-01-18 14:23:${s} - INFO - ${routes[i % routes.length]} 200 ${(12 + (i * 7) % 80).toFixed(1)}ms`);
  }
  return out.join('\n') + '\n';
}

export async function run({ page, helpers, workspace }) {
  writeFileSync(join(workspace, 'api.log'), logLines());
  // Quick Open the log.
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => {});
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill('api.log');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'api.log' }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor({ timeout: 20_000 });
  // Decorations: whole-line backgrounds in the view overlays, gutter icons in the margin.
  const gutter = editor.locator('.cgmr');
  await gutter.first().waitFor({ timeout: 20_000 });
  const marks = await gutter.count();
  if (marks < 5) throw new Error(`expected the visible slow lines to carry gutter bars, found ${marks}`);
  // Hover the duration of the first slow line (line 5: "… took 4740ms …").
  const line = editor.locator('.view-line', { hasText: 'took 4740ms' }).first();
  await line.waitFor({ timeout: 10_000 });
  const box = await line.boundingBox();
  await page.mouse.move(box.x + 420, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover-content', { hasText: 'Slow request' }).first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  const text = await hover.innerText();
  for (const want of ['POST /api/v1/chat', '4740 ms', 'threshold', 'p95']) if (!text.includes(want)) throw new Error(`hover lacks "${want}": ${text}`);
  // The Slow Requests view in the Explorer.
  await helpers.runCommand('Explorer: Focus on Slow Requests View');
  const view = page.locator('.pane', { hasText: 'Slow Requests' }).first();
  await view.locator('.monaco-list-row', { hasText: 'POST /api/v1/chat' }).first().waitFor({ timeout: 15_000 });
  await page.mouse.move(box.x + 420, box.y + box.height / 2);
  await hover.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {});
  await helpers.screenshot('logs', page.locator('.monaco-workbench'));

  // The Explorer's context menu on a .log file offers Analyze and Follow.
  await page.keyboard.press('Escape');
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'api.log' }).first().click({ button: 'right' });
  const menu = page.locator('.monaco-menu');
  await menu.locator('.action-label', { hasText: 'Analyze Log File' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await menu.locator('.action-label', { hasText: 'Follow Log File' }).first().waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.press('Escape');
}
