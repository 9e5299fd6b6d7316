// UI check: Pulse's status bar item shows up in the workbench.
// Matches an item whose id or aria-label names Pulse, or whose text shows "Pulse" or "p95".
import { join } from 'node:path';

export const timeout = 90_000;

export async function run({ page, artifacts, helpers }) {
  const items = helpers.statusBarItems();
  const pulse = items.and(page.locator('[id*="pulse" i], [aria-label*="pulse" i], [aria-label*="p95" i]'))
    .or(helpers.statusBarItems(/pulse|p95/i));
  try {
    await pulse.first().waitFor({ state: 'visible', timeout: 60_000 });
  } catch {
    const seen = await items.evaluateAll((els) => els.map((e) => `${e.id} "${e.getAttribute('aria-label') ?? ''}" ${e.textContent?.trim() ?? ''}`));
    throw new Error(`no Pulse status bar item after 60 s; status bar has:\n  ${seen.join('\n  ')}`);
  }
  await pulse.first().screenshot({ path: join(artifacts, 'statusbar.png') });
  await page.locator('#workbench\\.parts\\.statusbar').screenshot({ path: join(artifacts, 'statusbar-full.png') });
}
