// The sentiment and intent-quality panels against the mock's truth: every bucket's
// columns recounted here from /__mock/truth/Messages, the confusion pairs ranked,
// ONE Messages load for the explorer and both panels, the panels' buckets equal to
// a count panel's in another zone and interval, and a pair click filtering the
// explorer to exactly those messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR, DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState,
  readPanelTable, fetchTruth, intValue, panel, TIMEOUT,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

const START = Date.UTC(2026, 2, 3); // Tue 2026-03-03T00:00Z: a fixed past day
const END = START + DAY;

function sign(x) {
  return x > 0 ? 'positive' : x < 0 ? 'negative' : 'neutral';
}

/** The contract's rule, literally: the second-best match within 0.1 of the best. */
function topTwo(m) {
  const t = [...(m.topmatches ?? [])].sort((a, b) => b.score - a.score);
  return t.length >= 2 ? [t[0], t[1]] : null;
}
function ambiguous(m) {
  const t = topTwo(m);
  return t !== null && t[1].score >= t[0].score - 0.1;
}
function pairKey(m) {
  const [x, y] = topTwo(m).map((t) => t.topic);
  // Code-point order (for the mock's names, UTF-16 order is the same).
  return [...[x, y]].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('\u0000');
}

async function mockStats() {
  return (await fetch(`${MOCK_URL}/__mock/stats`)).json();
}

test('sentiment and intent-quality tables equal a recount of the truth; one Messages load', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, {
    from: START, to: END, interval: '1h', tz: 'UTC', panels: 'sentiment,intent-quality,messages',
  });
  await fetch(`${MOCK_URL}/__mock/stats/reset`, { method: 'POST' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'sentiment', 'ready');
    await expectPanelState(page, 'intent-quality', 'ready');
    await expectPanelState(page, 'messages', 'ready');
    const stats = await mockStats();
    assert.equal(stats.byEndpoint.Messages, 1, 'the explorer and both panels share ONE Messages call');

    const msgs = await fetchTruth(MOCK_URL, 'Messages', { startTime: START, endTime: END });
    const hour = (m) => Math.floor((m.ts - START) / HOUR);
    const want = Array.from({ length: 24 }, () => ({
      negative: 0, neutral: 0, positive: 0, customerMessages: 0, lowConfidence: 0, ambiguous: 0,
    }));
    const pairs = new Map();
    for (const m of msgs) {
      const w = want[hour(m)];
      w[sign(m.sentiment)] += 1;
      if (m.sendertype !== 'customer') continue;
      w.customerMessages += 1;
      if (m.score < 0.5) w.lowConfidence += 1;
      if (ambiguous(m)) {
        w.ambiguous += 1;
        pairs.set(pairKey(m), (pairs.get(pairKey(m)) ?? 0) + 1);
      }
    }

    const sentiment = await readPanelTable(page, 'sentiment');
    assert.deepEqual(sentiment.columns.slice(0, 3), ['negative', 'neutral', 'positive']);
    const quality = await readPanelTable(page, 'intent-quality');
    assert.deepEqual(quality.columns.slice(0, 3), ['customerMessages', 'lowConfidence', 'ambiguous']);
    for (const table of [sentiment, quality]) {
      assert.equal(table.rows.length, 24, 'one row per hour');
      const mismatches = [];
      table.rows.forEach((r, k) => {
        assert.equal(r.start, String(START + k * HOUR), `row ${k}: data-start`);
        for (const key of table.columns.slice(0, 3)) {
          const got = intValue(r.values[key], `row ${k} ${key}`);
          if (got !== want[k][key]) mismatches.push(`${r.label} ${key}: table ${got}, truth ${want[k][key]}`);
        }
      });
      assert.deepEqual(mismatches, []);
    }
    const total = want.reduce((s, w) => s + w.ambiguous, 0);
    assert.ok(total > 20, `only ${total} ambiguous messages: the mock should make near-ties`);
    assert.equal(intValue(quality.totals.ambiguous, 'tfoot ambiguous'), total);

    // The confusion pairs: at least the top 10, most frequent first, each count true.
    const shown = await page.locator('[data-role="confusion-pair"]').evaluateAll((els) =>
      els.map((e) => ({ a: e.dataset.topicA, b: e.dataset.topicB, n: Number(e.dataset.value) })));
    assert.ok(shown.length >= Math.min(10, pairs.size), `${shown.length} pairs shown of ${pairs.size}`);
    const sorted = [...pairs.values()].sort((x, y) => y - x);
    shown.forEach((p, i) => {
      assert.ok(p.a <= p.b, `pair ${i}: a before b`);
      assert.equal(p.n, pairs.get(`${p.a}\u0000${p.b}`), `pair ${p.a} / ${p.b}`);
      assert.equal(p.n, sorted[i], `pair ${i} is not in rank order`);
    });

    // A pair opens the explorer on exactly its messages.
    const first = page.locator('[data-role="confusion-pair"]').first();
    const n = await first.getAttribute('data-value');
    await first.click();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('pair'), null, { timeout: TIMEOUT });
    await page.waitForFunction(
      (want) => document.querySelector('[data-role="match-count"]')?.getAttribute('data-value') === want,
      n,
      { timeout: TIMEOUT },
    );
    assert.deepEqual(pageErrors, [], 'uncaught errors on the page');
  });
});

test('insight buckets follow the interval and zone exactly like a count panel', async (t) => {
  // Three New York days across the end of DST (a 25-hour day).
  const url = dashboardUrl(DASHBOARD_URL, {
    from: '2026-10-31T00:00:00-04:00', to: '2026-11-03T00:00:00-05:00', interval: '1d', tz: 'America/New_York',
    panels: 'interactions,sentiment,intent-quality',
  });
  await withPage(t, browser, url, async ({ page }) => {
    await expectPanelState(page, 'interactions', 'ready');
    await expectPanelState(page, 'sentiment', 'ready');
    const counts = await readPanelTable(page, 'interactions');
    const sentiment = await readPanelTable(page, 'sentiment');
    assert.deepEqual(sentiment.rows.map((r) => r.start), counts.rows.map((r) => r.start));
    assert.equal(sentiment.rows.length, 3);
    // Every message counts once: the columns add up to the range's messages.
    const msgs = await fetchTruth(MOCK_URL, 'Messages', {
      startTime: Number(sentiment.rows[0].start), endTime: Date.parse('2026-11-03T05:00:00Z'),
    });
    const sum = ['negative', 'neutral', 'positive'].reduce((s, k) => s + intValue(sentiment.totals[k], k), 0);
    assert.equal(sum, msgs.length);
    await panel(page, 'intent-quality').waitFor();
  });
});

test('a click on a sentiment bar opens the explorer on exactly that bucket and sign', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, {
    from: START, to: END, interval: '1h', tz: 'UTC', panels: 'sentiment,messages',
  });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await expectPanelState(page, 'sentiment', 'ready');
    await expectPanelState(page, 'messages', 'ready');
    const { rows } = await readPanelTable(page, 'sentiment');
    assert.equal(rows.length, 24);
    // The hour with the most negative messages: the fullest bar to hit.
    const hour = rows.reduce((best, r, i) => (intValue(r.values.negative) > intValue(rows[best].values.negative) ? i : best), 0);
    const want = rows[hour].values.negative;
    assert.ok(intValue(want) > 0, 'the day has negative messages');
    // Reading the table switched the panel to it: back to the chart.
    await panel(page, 'sentiment').locator('[data-action="table"]').click();

    const chart = panel(page, 'sentiment').locator('.chart').first();
    await page.waitForFunction(() => {
      const el = document.querySelector('section[data-panel="sentiment"] .chart');
      return el && window.echarts.getInstanceByDom(el)?.getOption()?.series?.length > 0;
    }, null, { timeout: TIMEOUT });
    const box = await chart.boundingBox();
    const [x, y] = await chart.evaluate((el, d) => {
      const inst = window.echarts.getInstanceByDom(el);
      const series = inst.getOption().series;
      const s = series.findIndex((x) => /negative/i.test(`${x.id ?? ''} ${x.name ?? ''}`));
      const v = Number(series[s].data[d]?.value ?? series[s].data[d] ?? 0);
      // Half way up the negative bar (drawn first, at the bottom of a stack).
      return inst.convertToPixel({ seriesIndex: s }, [d, v / 2]);
    }, hour);
    await page.mouse.click(box.x + x, box.y + y);

    await page.waitForFunction(() => new URL(location.href).searchParams.has('sentiment'), null, { timeout: TIMEOUT });
    const q = new URL(page.url()).searchParams;
    assert.equal(q.get('sentiment'), 'negative');
    assert.equal(Number(q.get('from')), START + hour * HOUR, 'from = the bucket start');
    assert.equal(Number(q.get('to')), START + (hour + 1) * HOUR, 'to = the bucket end');
    await page.waitForFunction(
      (n) => document.querySelector('[data-role="match-count"]')?.getAttribute('data-value') === n,
      String(intValue(want)),
      { timeout: TIMEOUT },
    );
    assert.deepEqual(pageErrors, [], 'uncaught errors on the page');
  });
});
