// The picker and the URL: a URL with from, to, interval and tz reopens the same view
// and the same table; a bad parameter gives a visible notice and the default; the
// last view comes back when the page opens without parameters; saved views export
// and refuse a bad import.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState, waitForPanelSettled,
  readPanelTable, fetchTruth, bucketsByStart, intValue, TIMEOUT,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

// Ten Berlin days across the end of summer time (Sunday 2026-10-25 has 25 hours),
// given as ISO with offsets, the way a person would type them.
const FROM_ISO = '2026-10-20T00:00:00+02:00';
const TO_ISO = '2026-10-30T00:00:00+01:00';
const START = Date.parse(FROM_ISO);
const END = Date.parse(TO_ISO);

/** The app's URL parameters once it has written them (replaceState). */
function params(page) {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

async function pickerState(page) {
  return page.evaluate(() => ({
    from: document.querySelector('input[name="from"]')?.value,
    to: document.querySelector('input[name="to"]')?.value,
    interval: document.querySelector('select[name="interval"]')?.value,
    tz: document.querySelector('input[name="tz"]')?.value,
  }));
}

test('a URL with from, to, interval and tz reopens the same view and the same table', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, {
    from: FROM_ISO, to: TO_ISO, interval: '1d', tz: 'Europe/Berlin', panels: 'interactions',
  });
  let written;
  let first;
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'interactions', 'ready');
    first = await readPanelTable(page, 'interactions');

    // Calendar days in Berlin: 10 rows, each starting at local midnight; the 25th is 25 hours.
    assert.equal(first.rows.length, 10, 'ten daily rows');
    const starts = first.rows.map((r) => Number(r.start));
    assert.equal(starts[0], START);
    const lengths = starts.map((s, i) => (i + 1 < starts.length ? starts[i + 1] : END) - s);
    assert.deepEqual(lengths.map((l) => l / 3_600_000), [24, 24, 24, 24, 24, 25, 24, 24, 24, 24]);

    // Equal to the truth.
    const truth = bucketsByStart(await fetchTruth(MOCK_URL, 'Interactions', {
      startTime: START, endTime: END, interval: '1d', timezone: 'Europe/Berlin',
    }));
    first.rows.forEach((r, k) => {
      const want = truth.get(Number(r.start))?.total ?? 0;
      assert.equal(intValue(r.values.total, `row ${k} total`), want, `row ${k} (${r.label}) total`);
    });

    // What the app wrote: canonical values (epoch ms or ISO with Z), same view.
    written = page.url();
    const p = params(page);
    assert.equal(p.from, String(START));
    assert.equal(p.to, String(END));
    assert.equal(p.interval, '1d');
    assert.equal(p.tz, 'Europe/Berlin');
    assert.equal(p.panels, 'interactions');

    // The picker shows the view, in the view's zone.
    const shown = await pickerState(page);
    assert.deepEqual(shown, {
      from: '2026-10-20T00:00+02:00', to: '2026-10-30T00:00+01:00', interval: '1d', tz: 'Europe/Berlin',
    });
    assert.deepEqual(pageErrors, [], 'uncaught errors on the page');
  });

  // The written URL, opened afresh (new context: no cache, no storage), is the same table.
  await withPage(t, browser, written, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'interactions', 'ready');
    assert.deepEqual(await readPanelTable(page, 'interactions'), first);
    assert.equal(page.url(), written, 'the reopened page rewrote its URL differently');
    // And a reload of it.
    await page.reload({ waitUntil: 'load' });
    await expectPanelState(page, 'interactions', 'ready');
    assert.deepEqual(await readPanelTable(page, 'interactions'), first);
    assert.deepEqual(pageErrors, []);
  });
});

test('a bad parameter shows a visible notice and the default', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, {
    from: 'yesterday-ish', interval: '5m', tz: 'Mars/Olympus', refresh: 'often', panels: 'interactions',
  });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    const notices = page.locator('[data-role="notices"]');
    await notices.waitFor({ state: 'visible', timeout: TIMEOUT });
    const text = await notices.innerText();
    for (const bit of ['yesterday-ish', '5m', 'Mars/Olympus', 'often']) {
      assert.ok(text.includes(bit), `the notice does not name ${bit}: ${text}`);
    }
    // Defaults: last 7 days, automatic interval, the browser's zone; the page works.
    const state = await waitForPanelSettled(page, 'interactions');
    assert.ok(['ready', 'empty'].includes(state), `interactions panel is ${state}`);
    // The URL is written by an effect (replaceState) that may come after the panel settles.
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'), null, { timeout: TIMEOUT });
    const p = params(page);
    assert.equal(p.from, 'now-7d');
    assert.equal(p.to, 'now');
    for (const k of ['interval', 'tz', 'refresh']) assert.equal(p[k], undefined, `${k} kept in the URL`);
    const shown = await pickerState(page);
    assert.equal(shown.from, 'now-7d');
    assert.equal(shown.interval, '');
    assert.equal(shown.tz, '');
    assert.deepEqual(pageErrors, []);
  });
});

test('the picker edits the view, and the last view comes back without URL parameters', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await waitForPanelSettled(page, 'interactions');
    // A typed relative range with live validation, in the range button's popover.
    await page.locator('[data-action="open-range"]').click();
    const from = page.locator('input[name="from"]');
    await from.fill('now-3x');
    await page.locator('[data-role="range-validation"][data-valid="false"]').waitFor({ timeout: TIMEOUT });
    assert.ok(await page.locator('[data-action="apply-range"]').isDisabled());
    await from.fill('now-2d/d');
    await from.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('from') === 'now-2d/d');
    // Interval and zone by keyboard.
    await page.locator('select[name="interval"]').selectOption('6h');
    await page.locator('[data-action="open-range"]').click();
    const tz = page.locator('input[name="tz"]');
    await tz.fill('Asia/Kolkata');
    await tz.press('Enter');
    await tz.press('Escape');
    await page.locator('select[name="refresh"]').selectOption('15m');
    await page.waitForFunction(() => {
      const p = new URL(location.href).searchParams;
      return p.get('interval') === '6h' && p.get('tz') === 'Asia/Kolkata' && p.get('refresh') === '15m';
    });
    await waitForPanelSettled(page, 'interactions');

    // Reopened with no parameters at all: the last view.
    await page.goto(DASHBOARD_URL.replace(/\/?$/, '/'), { waitUntil: 'load' });
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tz') === 'Asia/Kolkata', null, { timeout: TIMEOUT });
    const p = params(page);
    assert.equal(p.from, 'now-2d/d');
    assert.equal(p.interval, '6h');
    assert.equal(p.panels, 'interactions');
    assert.equal(p.refresh, '15m');
    assert.equal(await page.locator('input[name="from"]').inputValue(), 'now-2d/d');
    assert.deepEqual(pageErrors, []);
  });
});

test('saved views: save, export as JSON without secrets, refuse a bad import', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { from: START, to: START + 7 * DAY, interval: '1d', tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await page.locator('[data-role="saved-views"] summary').click();
    await page.locator('input[name="view-name"]').fill('Week in October');
    await page.locator('[data-action="save-view"]').click();
    await page.locator('li[data-view-name="Week in October"]').waitFor({ timeout: TIMEOUT });

    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: TIMEOUT }),
      page.locator('[data-action="export-views"]').click(),
    ]);
    const json = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(json.format, 'engagement-dashboard/saved-views');
    assert.equal(json.views.length, 1);
    assert.deepEqual(json.views[0], {
      name: 'Week in October', from: String(START), to: String(START + 7 * DAY), interval: '1d', tz: 'UTC', panels: ['interactions'],
    });
    assert.ok(!/key|relay|provider|partner/i.test(JSON.stringify(json)), 'the export holds deployment settings');

    await page.locator('input[name="import-views"]').setInputFiles({
      name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "engagement-dashboard/saved-views", '),
    });
    const status = page.locator('[data-role="saved-views-status"][data-state="error"]');
    await status.waitFor({ timeout: TIMEOUT });
    assert.match(await status.innerText(), /Not imported/);

    // A good import (the export, renamed) adds a view that opens.
    json.views[0].name = 'Imported week';
    await page.locator('input[name="import-views"]').setInputFiles({
      name: 'views.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)),
    });
    await page.locator('li[data-view-name="Imported week"]').waitFor({ timeout: TIMEOUT });
    assert.deepEqual(pageErrors, []);
  });
});
