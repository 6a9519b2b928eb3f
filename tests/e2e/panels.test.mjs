// Every chart panel's table equals the mock's truth (API columns cell by cell,
// derived columns consistent with them), the key figures equal the truth for the
// range and for the previous period, a click on a chart drills into the explorer,
// a drag zooms the range, and the CSV export is the table.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState, panel,
  readPanelTable, fetchTruth, bucketsByStart, intValue, TIMEOUT,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

// Fixed past range of 14 whole UTC days, so the truth never moves.
const END = Date.UTC(2026, 9, 1);
const START = END - 14 * DAY;
const BASE = { from: START, to: END, interval: '1d', tz: 'UTC' };

const PANELS = {
  interactions: { endpoint: 'Interactions', fixed: ['total'] },
  intents: { endpoint: 'Intents', fixed: [] },
  'bot-access': { endpoint: 'InteractionType', fixed: ['botOnly', 'botToAgent'], only: ['botOnly', 'botToAgent'] },
  'bot-vs-agent': { endpoint: 'InteractionType', fixed: ['botOnly', 'botToAgent', 'agentOnly'], only: ['botOnly', 'botToAgent', 'agentOnly'] },
  'customer-endpoint': { endpoint: 'CustomerEndpoint', fixed: [] },
};
const DERIVED = {
  botEngaged: ['botOnly', 'botToAgent'],
  botHandled: ['botOnly'],
  agentHandled: ['botToAgent', 'agentOnly'],
};

function truthBody(extra = {}) {
  return { startTime: START, endTime: END, interval: '1d', timezone: 'UTC', ...extra };
}

async function checkTable(page, name, truthResp) {
  const spec = PANELS[name];
  const table = await readPanelTable(page, name);
  const truth = bucketsByStart(truthResp);
  let keys = [...new Set([...truth.values()].flatMap((c) => Object.keys(c)))];
  if (spec.only) keys = keys.filter((k) => spec.only.includes(k));
  for (const k of [...spec.fixed, ...keys]) {
    assert.ok(table.columns.includes(k), `${name}: no column "${k}" (columns: ${table.columns.join(', ')})`);
  }
  assert.equal(table.rows.length, 14, `${name}: one row per day`);
  const mismatches = [];
  const sums = {};
  table.rows.forEach((r, i) => {
    const start = START + i * DAY;
    assert.equal(r.start, String(start), `${name} row ${i}: data-start`);
    const counts = truth.get(start) ?? {};
    for (const k of [...new Set([...spec.fixed, ...keys])]) {
      const got = intValue(r.values[k], `${name} row ${i} ${k}`);
      const want = counts[k] ?? 0;
      sums[k] = (sums[k] ?? 0) + want;
      if (got !== want) mismatches.push(`${name} ${new Date(start).toISOString()} ${k}: table ${got}, truth ${want}`);
    }
    for (const [d, parts] of Object.entries(DERIVED)) {
      if (!(d in r.values)) continue;
      const want = parts.reduce((s, p) => s + intValue(r.values[p], `${name} row ${i} ${p}`), 0);
      if (intValue(r.values[d], `${name} row ${i} ${d}`) !== want) mismatches.push(`${name} row ${i} ${d} != ${parts.join(' + ')}`);
    }
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} cells differ`);
  for (const [k, s] of Object.entries(sums)) assert.equal(intValue(table.totals[k], `${name} tfoot ${k}`), s, `${name} total ${k}`);
  assert.ok(Object.values(sums).some((s) => s > 0), `${name}: the truth is all zeros, the test would prove nothing`);
  return sums;
}

test('every chart panel table equals the truth, derived columns included', async (t) => {
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, BASE), async ({ page, pageErrors }) => {
    for (const name of Object.keys(PANELS)) {
      await expectPanelState(page, name, 'ready');
      const extra = name === 'intents' ? { intenttype: 'bot' } : {};
      await checkTable(page, name, await fetchTruth(MOCK_URL, PANELS[name].endpoint, truthBody(extra)));
    }
    assert.deepEqual(pageErrors, []);
  });
});

test('agent intents follow the intenttype switch', async (t) => {
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, { ...BASE, panels: 'intents' }), async ({ page }) => {
    await expectPanelState(page, 'intents', 'ready');
    await panel(page, 'intents').locator('[data-action="intenttype"][value="agent"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('intenttype') === 'agent');
    await expectPanelState(page, 'intents', 'ready');
    await checkTable(page, 'intents', await fetchTruth(MOCK_URL, 'Intents', truthBody({ intenttype: 'agent' })));
  });
});

async function kpi(page, name) {
  const el = page.locator(`[data-kpi="${name}"]`);
  await page.waitForFunction((n) => document.querySelector(`[data-kpi="${n}"]`)?.dataset.state === 'ready', name, { timeout: TIMEOUT });
  return { value: await el.getAttribute('data-value'), previous: await el.getAttribute('data-previous'), text: await el.innerText() };
}

function sumKey(resp, key) {
  return (resp.buckets ?? []).reduce((s, b) => s + (b.counts?.[key] ?? 0), 0);
}

test('key figures equal the truth for the range and the previous period', async (t) => {
  const prev = { startTime: START - 14 * DAY, endTime: START, interval: '1d', timezone: 'UTC' };
  const [iNow, iPrev, tNow, tPrev] = await Promise.all([
    fetchTruth(MOCK_URL, 'Interactions', truthBody()),
    fetchTruth(MOCK_URL, 'Interactions', prev),
    fetchTruth(MOCK_URL, 'InteractionType', truthBody()),
    fetchTruth(MOCK_URL, 'InteractionType', prev),
  ]);
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, { ...BASE, panels: 'interactions' }), async ({ page }) => {
    const total = await kpi(page, 'interactions-total');
    assert.equal(Number(total.value), sumKey(iNow, 'total'));
    assert.equal(Number(total.previous), sumKey(iPrev, 'total'));
    for (const [name, part] of [['containment-rate', 'botOnly'], ['handoff-rate', 'botToAgent']]) {
      const k = await kpi(page, name);
      for (const [attr, resp] of [['value', tNow], ['previous', tPrev]]) {
        const den = sumKey(resp, 'botOnly') + sumKey(resp, 'botToAgent');
        if (den === 0) {
          assert.equal(k[attr], null, `${name} ${attr}: no denominator, no value`);
        } else {
          assert.ok(Math.abs(Number(k[attr]) - sumKey(resp, part) / den) < 1e-9, `${name} ${attr}: ${k[attr]}`);
        }
      }
    }
  });
});

/** The ECharts instance of the panel's first chart and the page position of a data point. */
async function pointOf(page, name, seriesIndex, dataIndex, fraction = 0.5) {
  const chart = panel(page, name).locator('.chart').first();
  await page.waitForFunction((n) => {
    const el = document.querySelector(`section[data-panel="${n}"] .chart`);
    return el && window.echarts.getInstanceByDom(el)?.getOption()?.series?.length > 0;
  }, name, { timeout: TIMEOUT });
  const box = await chart.boundingBox();
  const [x, y] = await chart.evaluate((el, [s, d, f]) => {
    const inst = window.echarts.getInstanceByDom(el);
    const v = inst.getOption().series[s].data[d] ?? 0;
    return inst.convertToPixel({ seriesIndex: s }, [d, v * f]);
  }, [seriesIndex, dataIndex, fraction]);
  return { x: box.x + x, y: box.y + y };
}

test('a click on an intent bar opens the explorer filtered to that intent and bucket', async (t) => {
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, { ...BASE, panels: 'intents,messages' }), async ({ page }) => {
    await expectPanelState(page, 'intents', 'ready');
    const { columns, rows } = await readPanelTable(page, 'intents');
    await panel(page, 'intents').locator('[data-action="table"]').click();
    const top = columns[0];
    const day = rows.reduce((best, r, i) => (Number(r.values[top]) > Number(rows[best].values[top]) ? i : best), 0);
    const p = await pointOf(page, 'intents', 0, day, 0.5);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(() => new URL(location.href).searchParams.has('topic'), null, { timeout: 10_000 });
    const q = new URL(page.url()).searchParams;
    assert.equal(q.get('topic'), top);
    assert.equal(Number(q.get('from')), START + day * DAY, 'from = the bucket start');
    assert.equal(Number(q.get('to')), START + (day + 1) * DAY, 'to = the bucket end');
  });
});

test('a drag across a time chart zooms the dashboard to those buckets', async (t) => {
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, { ...BASE, panels: 'interactions' }), async ({ page }) => {
    await expectPanelState(page, 'interactions', 'ready');
    const a = await pointOf(page, 'interactions', 0, 3, 0.2);
    const b = await pointOf(page, 'interactions', 0, 6, 0.2);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, a.y, { steps: 5 });
    await page.mouse.move(b.x, a.y, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((s) => new URL(location.href).searchParams.get('from') !== String(s), START, { timeout: 10_000 });
    const q = new URL(page.url()).searchParams;
    assert.equal(Number(q.get('from')), START + 3 * DAY);
    assert.equal(Number(q.get('to')), START + 7 * DAY);
  });
});

test('the CSV export is the table, with a BOM', async (t) => {
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, { ...BASE, panels: 'bot-vs-agent' }), async ({ page }) => {
    await expectPanelState(page, 'bot-vs-agent', 'ready');
    const table = await readPanelTable(page, 'bot-vs-agent');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel(page, 'bot-vs-agent').locator('[data-action="csv"]').click(),
    ]);
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, table.rows.length + 2, 'header, one line per bucket, totals');
    const cells = lines.map((l) => l.split(','));
    table.rows.forEach((r, i) => {
      table.columns.forEach((k, j) => assert.equal(cells[i + 1][j + 1], r.values[k], `row ${i} ${k}`));
    });
    table.columns.forEach((k, j) => assert.equal(cells.at(-1)[j + 1], table.totals[k], `total ${k}`));
  });
});

test('the legend lists each series in its colour and hides or shows it from the keyboard', async (t) => {
  await withPage(t, browser, dashboardUrl(DASHBOARD_URL, { ...BASE, panels: 'bot-access' }), async ({ page }) => {
    await expectPanelState(page, 'bot-access', 'ready');
    const items = panel(page, 'bot-access').locator('[data-role="legend-item"]');
    assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.dataset.series)), ['Bot only', 'Bot to agent', 'Containment %']);
    // Each swatch has the colour ECharts draws its series in.
    const colours = await page.evaluate(() => {
      const el = document.querySelector('section[data-panel="bot-access"] .chart');
      const palette = window.echarts.getInstanceByDom(el).getOption().color;
      const swatches = [...document.querySelectorAll('section[data-panel="bot-access"] .chart-legend-swatch')];
      const rgb = (c) => { const d = document.createElement('div'); d.style.color = c; document.body.append(d); const v = getComputedStyle(d).color; d.remove(); return v; };
      return swatches.map((s, i) => [getComputedStyle(s).backgroundColor, rgb(palette[i])]);
    });
    for (const [swatch, series] of colours) assert.equal(swatch, series);

    const selected = () => page.evaluate(() => {
      const el = document.querySelector('section[data-panel="bot-access"] .chart');
      return window.echarts.getInstanceByDom(el).getOption().legend[0].selected ?? {};
    });
    const second = items.nth(1);
    await second.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('section[data-panel="bot-access"] [data-role="legend-item"][aria-pressed="false"]').length === 1);
    assert.equal(await second.getAttribute('aria-pressed'), 'false');
    assert.equal((await selected())['Bot to agent'], false, 'the chart hides the series');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelectorAll('section[data-panel="bot-access"] [data-role="legend-item"][aria-pressed="false"]').length === 0);
    assert.notEqual((await selected())['Bot to agent'], false, 'and shows it again');
  });
});
