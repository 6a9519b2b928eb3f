// A span that keeps failing: the panel says "partial", names the missing span,
// leaves its buckets empty (never zero), and "retry missing" fetches only that span
// and then matches the truth. The failure is injected in the page (playwright route),
// so it holds whatever the mock does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR, DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState,
  readPanelTable, fetchTruth, bucketsByStart, intValue, panel,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

const END = Date.UTC(2026, 6, 11);
const START = END - 10 * DAY; // two calls at the 7-day hourly limit: [S, S+7d), [S+7d, E)
const BROKEN = START + 7 * DAY;

test('a span that keeps failing is named, left empty, and retried alone', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1h', tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, 'about:blank', async ({ page }) => {
    let failing = true;
    const seen = [];
    await page.route('**/Dashboard/Interactions*', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}');
      seen.push(body);
      if (failing && body.startTime === BROKEN) {
        await route.fulfill({ status: 503, contentType: 'text/html', body: '<html><h1>503 Service Unavailable</h1></html>' });
      } else {
        await route.continue();
      }
    });
    await page.goto(url, { waitUntil: 'load' });
    await expectPanelState(page, 'interactions', 'partial');

    const missing = panel(page, 'interactions').locator('[data-role="missing-span"]');
    assert.equal(await missing.count(), 1);
    assert.equal(await missing.getAttribute('data-start'), String(BROKEN));
    assert.equal(await missing.getAttribute('data-end'), String(END));
    assert.match(await missing.innerText(), /503/, 'the reason names the HTTP status');

    const partial = await readPanelTable(page, 'interactions');
    assert.equal(partial.rows.length, 240);
    const empty = partial.rows.filter((r) => r.values.total === undefined).map((r) => Number(r.start));
    assert.equal(empty.length, 72, 'the 3 failed days have no data-value: not zeros');
    assert.ok(empty.every((s) => s >= BROKEN), 'only the failed span is empty');

    // Recovery: only the missing span is fetched again.
    failing = false;
    const before = seen.length;
    await panel(page, 'interactions').locator('[data-action="retry-missing"]').click();
    await expectPanelState(page, 'interactions', 'ready');
    const again = seen.slice(before).filter((b) => b.startTime >= START && b.endTime <= END);
    assert.ok(again.length >= 1);
    assert.ok(again.every((b) => b.startTime >= BROKEN), `refetched ${JSON.stringify(again)}`);

    const table = await readPanelTable(page, 'interactions');
    const truth = bucketsByStart(await fetchTruth(MOCK_URL, 'Interactions', {
      startTime: START, endTime: END, interval: '1h', timezone: 'UTC',
    }));
    table.rows.forEach((r, k) => {
      assert.equal(intValue(r.values.total, `row ${k}`), truth.get(START + k * HOUR)?.total ?? 0, `row ${k}`);
    });
  });
});
