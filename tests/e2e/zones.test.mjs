// Time zones in the browser build: the wasm carries the zone names only and fetches
// each zone's data (tz/<Name>) when a view uses it. A URL with an unusual zone (odd
// offsets, a half-hour DST shift, a link, lower case, `+` in the name) shows the
// zone's calendar days with the mock's counts; the picker's zone field switches
// zones; a zone file that is missing or not TZif gives a notice and no wrong numbers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState, waitForPanelSettled,
  readPanelTable, fetchTruth, bucketsByStart, intValue, TIMEOUT,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

/** Local wall-clock time of `ms` in `zone`, as HH:MM (computed by the test's own Intl). */
const clock = (ms, zone) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

/** The zone files the page fetched. */
const zoneFiles = (page) =>
  page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.includes('/tz/')),
  );

// [as given in the URL, as the app spells it, from, to (local midnights), days, hours a DST day has]
const CASES = [
  ['Asia/Kathmandu', 'Asia/Kathmandu', '2026-03-01T00:00:00+05:45', '2026-03-08T00:00:00+05:45', 7, [24]],
  ['australia/lord_howe', 'Australia/Lord_Howe', '2026-04-01T00:00:00+11:00', '2026-04-08T00:00:00+10:30', 7, [24, 24.5]],
  ['US/Eastern', 'US/Eastern', '2026-03-05T00:00:00-05:00', '2026-03-12T00:00:00-04:00', 7, [23, 24]],
  ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires', '2026-06-01T00:00:00-03:00', '2026-06-04T00:00:00-03:00', 3, [24]],
  ['etc/gmt+5', 'Etc/GMT+5', '2026-06-01T00:00:00-05:00', '2026-06-04T00:00:00-05:00', 3, [24]],
];

for (const [given, name, fromIso, toIso, days, hours] of CASES) {
  test(`tz=${given} shows ${name}'s calendar days with the mock's counts`, async (t) => {
    const [from, to] = [Date.parse(fromIso), Date.parse(toIso)];
    const url = dashboardUrl(DASHBOARD_URL, { from: fromIso, to: toIso, interval: '1d', tz: given, panels: 'interactions' });
    await withPage(t, browser, url, async ({ page, pageErrors }) => {
      await expectPanelState(page, 'interactions', 'ready');
      assert.equal(new URL(page.url()).searchParams.get('tz'), name, 'the URL keeps the database spelling');
      const table = await readPanelTable(page, 'interactions');
      const starts = table.rows.map((r) => Number(r.start));
      assert.equal(starts.length, days, 'one row per local day');
      for (const s of starts) assert.equal(clock(s, name), '00:00', `${new Date(s).toISOString()} is a local midnight in ${name}`);
      assert.equal(starts[0], from);
      const lengths = [...new Set([...starts.slice(1), to].map((s, i) => (s - starts[i]) / 3_600_000))].sort();
      assert.deepEqual(lengths, hours, 'day lengths');
      const truth = bucketsByStart(
        await fetchTruth(MOCK_URL, 'Interactions', { startTime: from, endTime: to, interval: '1d', timezone: name }),
      );
      assert.deepEqual(starts, [...truth.keys()], 'rows are the mock\'s buckets');
      table.rows.forEach((r, i) => {
        assert.equal(intValue(r.values.total, `row ${i}`), truth.get(starts[i])?.total ?? 0, `${r.label} total`);
      });
      const files = await zoneFiles(page);
      assert.ok(files.some((f) => f.endsWith(`/tz/${name.replace('+', '%2B')}`)), `fetched ${name}: ${files}`);
      assert.ok(files.length <= 2, `only the view's and the browser's zone: ${files}`);
      assert.deepEqual(pageErrors, []);
    });
  });
}

test('the zone field switches to a zone whose data is fetched then', async (t) => {
  // A relative range: its buckets are on the zone's grid (local midnights).
  const url = dashboardUrl(DASHBOARD_URL, { from: 'now-4d/d', to: 'now/d', interval: '1d', tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'interactions', 'ready');
    const before = await readPanelTable(page, 'interactions'); // shows the table
    for (const r of before.rows) assert.equal(Number(r.start) % 86_400_000, 0, `UTC midnights: ${r.label}`);
    await page.locator('[data-action="open-range"]').click();
    const tz = page.locator('input[name="tz"]');
    await tz.fill('pacific/chatham');
    await tz.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('tz') === 'Pacific/Chatham', null, {
      timeout: TIMEOUT,
    });
    // Rows on Chatham midnights (UTC+12:45 or +13:45: never a whole UTC hour).
    await page.waitForFunction(
      () => {
        const th = document.querySelector('section[data-panel="interactions"] tbody th[scope="row"]');
        return th && Number(th.dataset.start) % 3_600_000 !== 0;
      },
      null,
      { timeout: TIMEOUT },
    );
    await waitForPanelSettled(page, 'interactions');
    const table = await readPanelTable(page, 'interactions');
    assert.ok(table.rows.length >= 4, `${table.rows.length} rows`);
    for (const r of table.rows) assert.equal(clock(Number(r.start), 'Pacific/Chatham'), '00:00', r.label);
    assert.ok((await zoneFiles(page)).some((f) => f.endsWith('/tz/Pacific/Chatham')));
    assert.deepEqual(pageErrors, []);
  });
});

test('a zone file that is missing or not TZif gives a notice; the view keeps its zone', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { tz: 'Asia/Tokyo', interval: '1d', panels: 'interactions' });
  await withPage(t, browser, DASHBOARD_URL, async ({ page, context, pageErrors }) => {
    await context.route('**/tz/Asia/Tokyo', (r) => r.fulfill({ status: 404, body: 'not found' }));
    // A host that answers every path with index.html.
    await context.route('**/tz/Asia/Seoul', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>app</p>' }));
    await page.goto(url, { waitUntil: 'load' });
    const notices = page.locator('[data-role="notices"]');
    await notices.waitFor({ state: 'visible', timeout: TIMEOUT });
    const text = await notices.innerText();
    assert.ok(text.includes('Asia/Tokyo') && text.includes('could not be loaded'), text);
    // The page works in the browser's zone; the URL drops the zone.
    const state = await waitForPanelSettled(page, 'interactions');
    assert.ok(['ready', 'empty'].includes(state), `interactions panel is ${state}`);
    assert.equal(new URL(page.url()).searchParams.get('tz'), null);

    // The zone field: a zone whose file is not TZif is refused with a message.
    await page.locator('[data-action="open-range"]').click();
    const tz = page.locator('input[name="tz"]');
    await tz.fill('Asia/Seoul');
    await tz.press('Enter');
    const validation = page.locator('[data-role="tz-validation"]');
    await page.waitForFunction(
      () => /Asia\/Seoul/.test(document.querySelector('[data-role="tz-validation"]')?.textContent ?? ''),
      null,
      { timeout: TIMEOUT },
    );
    assert.match(await validation.innerText(), /not valid|could not be loaded/);
    assert.equal(new URL(page.url()).searchParams.get('tz'), null, 'the view keeps its zone');
    assert.equal(await waitForPanelSettled(page, 'interactions'), state);
    assert.deepEqual(pageErrors, []);
  });
});
