// Failures the page must show plainly instead of crashing or going blank.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAY, TIMEOUT, requireEnv, sharedBrowser, withPage, dashboardUrl, panel, waitForPanelSettled,
} from './helpers.mjs';

const FAULTY_URL = requireEnv('DASHBOARD_FAULTY_URL');
const BADCONFIG_URL = requireEnv('DASHBOARD_BADCONFIG_URL');

const browser = sharedBrowser();

const END = Date.UTC(2026, 9, 1);
const START = END - 2 * DAY;

// FAULTY_MOCK_URL answers every Interactions call with an HTML 500 page.
test('a panel whose API answers HTML 500 shows the error with its status', async (t) => {
  const url = dashboardUrl(FAULTY_URL, {
    from: START, to: END, interval: '1h', tz: 'UTC', panels: 'interactions',
  });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    const state = await waitForPanelSettled(page, 'interactions');
    const text = await panel(page, 'interactions').innerText();
    assert.equal(state, 'error', `data-state; panel text:\n${text.slice(0, 500)}`);
    assert.match(text, /\b500\b/, 'the error names the HTTP status');
    assert.match(text, /retry in a moment/i, 'the error says what to do');
    assert.deepEqual(pageErrors, [], 'uncaught errors on the page');
  });
});

// Its config.json has providerId and partnerId but no relayUrl.
test('a config.json without relayUrl gives a page that says so', async (t) => {
  await withPage(t, browser, dashboardUrl(BADCONFIG_URL), async ({ page, pageErrors }) => {
    await page.getByText(/config/i).first().waitFor({ state: 'visible', timeout: TIMEOUT });
    const ready = await page.locator('section[data-panel][data-state="ready"]').count();
    assert.equal(ready, 0, 'no panel can load without a relay URL');
    assert.deepEqual(pageErrors, [], 'uncaught errors on the page');
  });
});
