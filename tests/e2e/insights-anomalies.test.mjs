// Anomalies against a mock with injected spikes (cargo xtask test starts it with
// `--spike "password reset@2026-06-10T14:00:00Z*8" --spike "web@2026-06-11T00:00:00Z*8/24"`):
// an 8x hour and an 8x day are found, listed with the hooks of ui-hooks.md, and open
// the explorer for their bucket; a quiet month on the plain mock flags few.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR, DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, fetchTruth, bucketsByStart, TIMEOUT,
} from './helpers.mjs';

const SPIKE_URL = requireEnv('DASHBOARD_SPIKE_URL');
const SPIKE_MOCK_URL = requireEnv('SPIKE_MOCK_URL');
const DASHBOARD_URL = requireEnv('DASHBOARD_URL');

const browser = sharedBrowser();

async function anomalies(page) {
  await page.waitForSelector('[data-role="anomalies"][data-state="ready"]', { state: 'attached', timeout: TIMEOUT });
  return page.locator('[data-role="anomaly"]').evaluateAll((els) => els.map((e) => ({ ...e.dataset })));
}

test('an hour at 8x its usual level is flagged and opens its bucket', async (t) => {
  const spike = Date.UTC(2026, 5, 10, 14);
  const from = Date.UTC(2026, 5, 10);
  const url = dashboardUrl(SPIKE_URL, { from, to: from + DAY, interval: '1h', tz: 'UTC', panels: 'intents' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    const found = await anomalies(page);
    const hit = found.find((a) => a.panel === 'intents' && a.key === 'password reset' && a.start === String(spike));
    assert.ok(hit, `not flagged; flags: ${JSON.stringify(found)}`);
    const truth = bucketsByStart(await fetchTruth(SPIKE_MOCK_URL, 'Intents', {
      startTime: from, endTime: from + DAY, interval: '1h', timezone: 'UTC', intenttype: 'bot',
    }));
    assert.equal(Number(hit.value), truth.get(spike)['password reset']);
    assert.ok(Number(hit.expected) * 4 < Number(hit.value), `expected ${hit.expected} vs ${hit.value}`);
    // The chart marks it too, and the strip opens the explorer on that hour.
    await page.locator(`[data-role="anomaly"][data-key="password reset"][data-start="${spike}"]`).click();
    await page.waitForFunction(
      (s) => new URL(location.href).searchParams.get('from') === String(s),
      spike,
      { timeout: TIMEOUT },
    );
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('to'), String(spike + HOUR));
    assert.equal(params.get('topic'), 'password reset');
    assert.deepEqual(pageErrors, []);
  });
});

test('a day at 8x is flagged in a daily view', async (t) => {
  const from = Date.UTC(2026, 5, 1);
  const url = dashboardUrl(SPIKE_URL, {
    from, to: from + 14 * DAY, interval: '1d', tz: 'UTC', panels: 'customer-endpoint',
  });
  await withPage(t, browser, url, async ({ page }) => {
    const found = await anomalies(page);
    const day = String(Date.UTC(2026, 5, 11));
    assert.ok(
      found.some((a) => a.panel === 'customer-endpoint' && a.key === 'web' && a.start === day),
      `not flagged; flags: ${JSON.stringify(found)}`,
    );
  });
});

test('a quiet month flags few', async (t) => {
  const from = Date.UTC(2026, 2, 1);
  const url = dashboardUrl(DASHBOARD_URL, {
    from, to: from + 30 * DAY, interval: '1d', tz: 'UTC',
    panels: 'interactions,intents,bot-access,bot-vs-agent,customer-endpoint',
  });
  await withPage(t, browser, url, async ({ page }) => {
    const found = await anomalies(page);
    // 30 days x some 35 series: a handful at most.
    assert.ok(found.length <= 5, `${found.length} flags on a quiet month: ${JSON.stringify(found)}`);
  });
});
