// UI check: the dashboard from the command palette in the real workbench — its webview shows the
// demo's routes and live numbers, and it comes back after a window reload (serializer).
export const timeout = 150_000;

/** The frame (webviews are nested iframes) whose document holds the dashboard's #app. */
async function dashboardFrame(page, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const ok = await f.evaluate(() => !!document.querySelector('#app') && document.title === 'Pulse Dashboard').catch(() => false);
      if (ok) return f;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('no dashboard webview frame appeared');
}

/**
 * `visible`: only rendered text (innerText skips hidden empty-state blocks). `bottom`: keep the page
 * scrolled to the end while waiting — the table renders rows only while in view, and the page's
 * height changes as cards fill (a scroll made before that can leave the table below the fold).
 */
async function waitForText(frame, text, { timeoutMs = 30_000, visible = false, bottom = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  let body = '';
  while (Date.now() < deadline) {
    body = await frame.evaluate(({ v, b }) => {
      if (b) (document.scrollingElement ?? document.documentElement).scrollTo(0, 1e6);
      return (v ? document.body.innerText : document.body.textContent) ?? '';
    }, { v: visible, b: bottom }).catch((e) => `(frame gone: ${e.message})`);
    if (body.includes(text)) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
  // Say what the dashboard did show: its status line and table, so a CI log explains itself.
  const shown = await frame.evaluate(() => ({
    status: document.querySelector('header')?.innerText?.replace(/\s+/g, ' ').slice(0, 200),
    rows: [...document.querySelectorAll('.endpoints [role=row]')].map((r) => r.textContent.slice(0, 60)).slice(0, 12),
  })).catch(() => null);
  throw new Error(`dashboard never showed "${text}" (at ${new Date().toISOString()}; shown: ${JSON.stringify(shown) ?? body.slice(0, 300)})`);
}

export async function run({ page, helpers }) {
  await helpers.runCommand('Pulse: Start Demo Service');
  await helpers.statusBarItems(/p95 \d/).first().waitFor({ state: 'visible', timeout: 30_000 });
  await helpers.runCommand('Pulse: Open Dashboard');
  let frame = await dashboardFrame(page);
  // Routes appear as the demo's traffic reaches them (the first scrapes may not have them all).
  for (const want of ['GET /api/v1/forecast', 'GET /api/v1/users/{id}', 'p95']) await waitForText(frame, want, { bottom: true });
  await frame.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollTo(0, 0));
  // A 1-minute window and some seconds more: the charts fill for a screenshot worth putting in the README.
  const oneMinute = frame.locator('button', { hasText: /^1m$/ });
  await oneMinute.click();
  if ((await oneMinute.getAttribute('aria-pressed')) !== 'true') throw new Error('the 1m window button did not become pressed');
  await page.waitForTimeout(25_000);
  await helpers.screenshot('dashboard', page.locator('.monaco-workbench'));

  await helpers.runCommand('Pulse: Stop Demo Service');
  // Reload the window: the serializer restores the panel, which explains it is not connected.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await helpers.waitForWorkbench();
  frame = await dashboardFrame(page, 60_000);
  await waitForText(frame, 'Not connected', { timeoutMs: 60_000, visible: true });
}
