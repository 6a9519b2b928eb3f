// First chart first (issue 14): the wasm comes in parts (src/app/lazy.rs,
// xtask/src/wasm_split.rs). A counts-only view draws its first chart before any
// lazily loaded chunk is requested; saved views, the range popover, the explorer
// and the insight panels then load their chunks and work.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  DAY, TIMEOUT, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState, panel,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const browser = sharedBrowser();

const END = Date.UTC(2026, 8, 1); // 2026-09-01T00:00Z
const START = END - 7 * DAY;

/** A lazily loaded chunk: a .wasm in `wasm-<hash>/` other than the main part. */
const isChunk = (url) => /\/wasm-[^/]+\/[^/]+\.wasm$/.test(new URL(url).pathname) && !url.endsWith('/app_bg.wasm');

/** The page's resource requests (performance timeline) and its `first-chart` mark. */
async function timeline(page) {
  return page.evaluate(() => ({
    firstChart: performance.getEntriesByName('first-chart', 'mark')[0]?.startTime ?? null,
    resources: performance.getEntriesByType('resource').map((r) => ({ url: r.name, start: r.startTime })),
  }));
}

test('lazy: a counts-only view draws its first chart before any lazy chunk is requested; the rest loads after', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions,intents' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'interactions', 'ready');
    await page.waitForFunction(() => performance.getEntriesByName('first-chart', 'mark').length > 0, null, { timeout: TIMEOUT });
    await panel(page, 'interactions').locator('canvas').first().waitFor({ timeout: TIMEOUT });

    // The saved views menu waits for the first chart, then loads its chunk.
    await page.locator('[data-role="saved-views"] summary').waitFor({ timeout: TIMEOUT });
    const { firstChart, resources } = await timeline(page);
    const main = resources.filter((r) => /\/wasm-[^/]+\/app_bg\.wasm$/.test(r.url));
    assert.equal(main.length, 1, `the main wasm part was fetched once: ${JSON.stringify(resources.map((r) => r.url))}`);
    const chunks = resources.filter((r) => isChunk(r.url));
    assert.ok(chunks.length > 0, 'the deferred pieces fetched their chunks after the first chart');
    for (const c of chunks) {
      assert.ok(c.start > firstChart, `${c.url} was requested at ${c.start} ms, before the first chart (${firstChart} ms)`);
    }
    // The explorer's and the insight panels' chunks are not among them (not shown).
    const shownOnly = resources.filter((r) => /split_(explorer|sentiment_panel|intent_quality_panel)_/.test(r.url));
    assert.deepEqual(shownOnly, [], 'the explorer or insight chunks were fetched for a view without them');

    // The range popover's body (a chunk) works.
    await page.locator('[data-action="open-range"]').click();
    await page.locator('[data-quick-range]').first().waitFor({ timeout: TIMEOUT });

    // Saved views (a chunk) work: save this view, export it, import it with the
    // explorer and the insight panels added, open it: their chunks load and work.
    await page.keyboard.press('Escape');
    await page.locator('[data-role="saved-views"] summary').click();
    await page.locator('input[name="view-name"]').fill('Counts');
    await page.locator('[data-action="save-view"]').click();
    await page.locator('li[data-view-name="Counts"]').waitFor({ timeout: TIMEOUT });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: TIMEOUT }),
      page.locator('[data-action="export-views"]').click(),
    ]);
    const json = JSON.parse(await readFile(await download.path(), 'utf8'));
    json.views = [{ ...json.views[0], name: 'Everything', panels: ['interactions', 'messages', 'sentiment', 'intent-quality'] }];
    await page.locator('input[name="import-views"]').setInputFiles({
      name: 'views.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)),
    });
    const before = (await timeline(page)).resources.filter((r) => isChunk(r.url)).length;
    await page.locator('li[data-view-name="Everything"] [data-action="open-view"]').click();
    await expectPanelState(page, 'messages', 'ready');
    await expectPanelState(page, 'sentiment', 'ready');
    await expectPanelState(page, 'intent-quality', 'ready');
    const after = (await timeline(page)).resources.filter((r) => isChunk(r.url)).length;
    assert.ok(after > before, `opening the explorer and insights fetched their chunks (${before} -> ${after})`);
    // The explorer works: a search narrows the list.
    const count = page.locator('[data-role="match-count"]');
    const all = Number(await count.getAttribute('data-value'));
    await page.locator('input[type="search"][name="q"]').fill('zzzz-no-such-text');
    await page.waitForFunction(() => document.querySelector('[data-role="match-count"]')?.getAttribute('data-value') === '0', null, { timeout: TIMEOUT });
    assert.ok(all > 0, 'the explorer listed messages');
    assert.deepEqual(pageErrors, []);
  });
});

test('lazy: a chunk that cannot be downloaded is an alert with a retry, and the rest of the page works', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions,messages' });
  await withPage(t, browser, 'about:blank', async ({ page, pageErrors }) => {
    // The explorer's own chunk fails (offline, or a new release removed this one's files).
    const explorerChunk = /\/split_explorer_part[^/]*\.wasm$/;
    await page.route(explorerChunk, (route) => route.abort('connectionfailed'));
    await page.goto(url);
    const failed = page.locator('[data-role="chunk-failed"]');
    await failed.waitFor({ timeout: TIMEOUT });
    assert.equal(await failed.getAttribute('role'), 'alert');
    assert.match(await failed.innerText(), /could not be downloaded/);
    // The counts are unaffected, and nothing panicked.
    await expectPanelState(page, 'interactions', 'ready');
    assert.equal(await page.locator('section[data-panel="messages"]').count(), 0);
    assert.deepEqual(pageErrors, []);

    // Back online: "Try again" fetches the chunk and the explorer works.
    await page.unroute(explorerChunk);
    await failed.locator('[data-action="retry-chunk"]').click();
    await expectPanelState(page, 'messages', 'ready');
    assert.equal(await failed.count(), 0, 'the alert is gone once the part loaded');
    assert.deepEqual(pageErrors, []);
  });
});
