// A year at 1d in a DST zone: the fetch engine plans 12+ calls (31-day limit), runs
// them in parallel and merges them. Every day of the table must equal the mock's
// truth, the rows must be the zone's calendar days (23- and 25-hour days included),
// and no call may be refused for its range (the planner respects the limit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState,
  readPanelTable, fetchTruth, bucketsByStart, intValue,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

// 2025-01-01 00:00 to 2026-01-01 00:00 in New York (EST, UTC-5 at both ends).
const START = Date.UTC(2025, 0, 1, 5);
const END = Date.UTC(2026, 0, 1, 5);

test('a 365-day range at 1d is exact, day by day', async (t) => {
  await fetch(`${MOCK_URL}/__mock/stats/reset`, { method: 'POST' });
  const url = dashboardUrl(DASHBOARD_URL, {
    from: START, to: END, interval: '1d', tz: 'America/New_York', panels: 'interactions',
  });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'interactions', 'ready');
    const table = await readPanelTable(page, 'interactions');
    const truthResp = await fetchTruth(MOCK_URL, 'Interactions', {
      startTime: START, endTime: END, interval: '1d', timezone: 'America/New_York',
    });
    const truth = bucketsByStart(truthResp);

    assert.equal(table.rows.length, 365, 'one row per calendar day');
    const starts = table.rows.map((r) => Number(r.start));
    // The mock has data every day, so its bucket starts are the full calendar.
    assert.deepEqual(starts, [...truth.keys()], 'rows are the zone\'s calendar days');
    const lengths = new Set(starts.slice(1).map((s, i) => (s - starts[i]) / 3_600_000));
    assert.deepEqual([...lengths].sort(), [23, 24, 25], 'DST days are 23 and 25 hours');

    let total = 0;
    const bad = [];
    table.rows.forEach((r, i) => {
      const want = truth.get(starts[i])?.total ?? 0;
      total += want;
      const got = intValue(r.values.total, `row ${i} total`);
      if (got !== want) bad.push(`${r.label}: table ${got}, truth ${want}`);
    });
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} days differ`);
    assert.equal(intValue(table.totals.total, 'tfoot total'), total);

    const stats = await (await fetch(`${MOCK_URL}/__mock/stats`)).json();
    assert.equal(stats.byStatus?.['400'] ?? 0, 0, `calls refused: ${JSON.stringify(stats)}`);
    assert.ok(stats.byEndpoint.Interactions >= 12, 'at least the 12 calls a year needs');
    assert.deepEqual(pageErrors, []);
  });
});
