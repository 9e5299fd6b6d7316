// UI check: from the command palette, start the demo service; the status bar item shows live
// signals, its tooltip is the signal table, and its colour turns when the demo is degraded.
// Screenshots land in test-artifacts/ (the README's come from here).
export const timeout = 150_000;

async function background(locator) {
  return locator.evaluate((el) => getComputedStyle(el).backgroundColor);
}

export async function run({ page, helpers }) {
  await helpers.runCommand('Pulse: Start Demo Service');
  const item = helpers.statusBarItems(/p95 \d/).first();
  await item.waitFor({ state: 'visible', timeout: 30_000 });
  // Let a few scrapes fill the window so the numbers are steady, then capture.
  await page.waitForTimeout(4000);
  const text = (await item.textContent()).trim();
  if (!/p95 [\d.]+ m?s · [\d.]+% err · hit \d+% · pool \d+%/.test(text)) throw new Error(`unexpected status text: "${text}"`);
  const before = await background(item);
  await helpers.screenshot('statusbar-live', page.locator('#workbench\\.parts\\.statusbar'));

  await item.hover();
  const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').filter({ hasText: 'p95 latency' }).first();
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  const table = await hover.textContent();
  for (const want of ['p95 latency', 'Error rate', 'Cache hit-rate', 'DB pool utilization', 'Last scrape']) {
    if (!table.includes(want)) throw new Error(`tooltip lacks "${want}": ${table}`);
  }
  await helpers.screenshot('statusbar-tooltip', page.locator('.monaco-workbench'));
  await page.mouse.move(700, 300);

  // 5 % errors is five times the default 1 % target: after the 30 s hold it turns.
  await helpers.runCommand('Pulse: Degrade Demo Service');
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Add 5 % server errors' }).first();
  await pick.waitFor({ state: 'visible', timeout: 10_000 });
  await pick.click();
  const turned = helpers.statusBarItems(/\d+% err/).first();
  const deadline = Date.now() + 90_000;
  let now = before;
  while (Date.now() < deadline) {
    now = await background(turned);
    if (now !== before) break;
    await page.waitForTimeout(500);
  }
  if (now === before) throw new Error(`status bar colour never changed from ${before}; text "${await turned.textContent()}"`);
  await helpers.screenshot('statusbar-degraded', page.locator('#workbench\\.parts\\.statusbar'));
  await helpers.runCommand('Pulse: Show Health Details');
  await page.locator('iframe').first().waitFor({ state: 'attached', timeout: 15_000 });
  await page.waitForTimeout(1500);
  await helpers.screenshot('health-details', page.locator('.monaco-workbench'));
  await helpers.runCommand('Pulse: Stop Demo Service');
}
