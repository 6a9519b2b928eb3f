// The table of the interactions panel must equal the mock's truth, bucket by bucket,
// over a range that needs several API calls (10 days of hours; the per-call limit for
// hourly intervals is 7 days). A dropped call leaves zeros, a double-counted bucket
// doubles: both fail here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR, DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState,
  readPanelTable, fetchTruth, bucketsByStart, intValue,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

// A fixed past range so the truth never moves: 10 whole UTC days.
const END = Date.UTC(2026, 9, 1); // 2026-10-01T00:00Z
const START = END - 10 * DAY;

test('interactions table equals the truth for 10 days of hours', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, {
    from: START, to: END, interval: '1h', tz: 'UTC', panels: 'interactions',
  });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'interactions', 'ready');
    const table = await readPanelTable(page, 'interactions');

    const truth = bucketsByStart(await fetchTruth(MOCK_URL, 'Interactions', {
      startTime: START, endTime: END, interval: '1h', timezone: 'UTC',
    }));
    const truthKeys = new Set([...truth.values()].flatMap((c) => Object.keys(c)));
    // The API's series, compared cell by cell; derived extra columns are not.
    const keys = table.columns.filter((k) => truthKeys.has(k) || ['total', 'completed', 'abandoned'].includes(k));

    assert.ok(table.columns.includes('total'), `no "total" column; columns: ${table.columns.join(', ')}`);
    for (const k of truthKeys) {
      assert.ok(table.columns.includes(k), `truth has series "${k}" but the table has no such column`);
    }

    // One row per hour, ascending, exactly START + k hours.
    const expectedRows = (END - START) / HOUR;
    assert.equal(table.rows.length, expectedRows, `expected ${expectedRows} hourly rows`);
    table.rows.forEach((r, k) => {
      assert.equal(r.start, String(START + k * HOUR), `row ${k}: data-start`);
    });

    // Every cell equals the truth (a missing bucket or key counts 0).
    const mismatches = [];
    const sums = Object.fromEntries(keys.map((k) => [k, 0]));
    table.rows.forEach((r, k) => {
      const counts = truth.get(START + k * HOUR) ?? {};
      for (const key of keys) {
        const want = counts[key] ?? 0;
        sums[key] += want;
        const got = intValue(r.values[key], `row ${k} (${r.label}) ${key}`);
        if (got !== want) mismatches.push(`${new Date(START + k * HOUR).toISOString()} ${key}: table ${got}, truth ${want}`);
      }
    });
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} cells differ from the truth`);
    assert.ok(
      [...truth.keys()].every((s) => s >= START && s < END && (s - START) % HOUR === 0),
      'truth has buckets outside the hourly grid (test or mock bug)',
    );

    // Footer totals = column sums = truth sums.
    for (const key of keys) {
      assert.equal(intValue(table.totals[key], `tfoot ${key}`), sums[key], `tfoot total for ${key}`);
    }
    assert.ok(sums.total > 0, 'the truth is all zeros: the test would prove nothing');
    assert.deepEqual(pageErrors, [], 'uncaught errors on the page');
  });
});
