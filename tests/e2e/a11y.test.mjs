// axe-core (from node_modules, injected into the page) finds no violations on the
// whole dashboard, in the light and the dark theme, once every panel has settled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, waitForPanelSettled } from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const END = Date.UTC(2026, 9, 1);
const START = END - 7 * DAY;

const browser = sharedBrowser();

for (const theme of ['light', 'dark']) {
  test(`axe finds no violations in the ${theme} theme`, async (t) => {
    const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC', theme });
    await withPage(t, browser, url, async ({ page }) => {
      for (const name of ['interactions', 'intents', 'bot-access', 'bot-vs-agent', 'customer-endpoint', 'messages']) {
        await waitForPanelSettled(page, name);
      }
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
      });
      assert.deepEqual(violations, [], `axe violations in the ${theme} theme:\n${violations.join('\n')}`);
    });
  });
}
