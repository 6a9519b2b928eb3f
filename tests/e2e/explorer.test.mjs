// The message explorer (issue 6) on the mock, against its truth: counts, search,
// facets, the conversation view, keyboard, and a hostile corpus served through
// page.route (data the client has never seen must render literally and run nothing).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR, DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState, panel, fetchTruth, TIMEOUT,
} from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

// A fixed past range: the truth never moves.
const END = Date.UTC(2026, 8, 10); // 2026-09-10T00:00Z
const START = END - 2 * DAY;

const explorerUrl = (extra = {}, from = START, to = END) =>
  dashboardUrl(DASHBOARD_URL, { from, to, tz: 'UTC', panels: 'messages', ...extra });

const truthOf = (from = START, to = END) => fetchTruth(MOCK_URL, 'Messages', { startTime: from, endTime: to });

async function matchCount(page) {
  const v = await panel(page, 'messages').locator('[data-role="match-count"]').getAttribute('data-value');
  assert.match(v ?? '', /^\d+$/, `match-count data-value ${v}`);
  return Number(v);
}

/** Waits until match-count's data-value equals `want` (the filter runs after the event). */
async function expectMatchCount(page, want, what) {
  try {
    await page.waitForFunction(
      (w) => document.querySelector('section[data-panel="messages"] [data-role="match-count"]')?.getAttribute('data-value') === String(w),
      want, { timeout: 10_000, polling: 50 });
  } catch {
    assert.equal(await matchCount(page), want, what);
  }
}

/** Waits until the page URL has parameter `k` equal to `v` (the view follows typing after a pause). */
async function expectParam(page, k, v) {
  await page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [k, v], { timeout: 5000 })
    .catch(() => assert.equal(new URL(page.url()).searchParams.get(k), v, `URL parameter ${k}`));
}

const sign = (x) => (x > 0 ? 'positive' : x < 0 ? 'negative' : 'neutral');
const segNum = (sid) => String(sid).split('.')[1] ?? '';

test('explorer: every message of the range is counted, as the truth', async (t) => {
  const truth = await truthOf();
  assert.ok(truth.length > 100, `truth has only ${truth.length} messages`);
  await withPage(t, browser, explorerUrl(), async ({ page, pageErrors }) => {
    await expectPanelState(page, 'messages', 'ready');
    assert.equal(await matchCount(page), truth.length);
    const rows = await panel(page, 'messages').locator('[data-role="message"]').count();
    assert.ok(rows > 0 && rows <= 200, `${rows} rows in the DOM`);
    // Newest first: the first row is the truth's latest message.
    const latest = Math.max(...truth.map((m) => m.ts));
    const firstTs = await panel(page, 'messages').locator('[data-role="message"]').first().getAttribute('data-ts');
    const domTs = await panel(page, 'messages').locator('[data-role="message"]').evaluateAll((els) => els.map((e) => Number(e.dataset.ts)));
    assert.equal(Math.max(...domTs), latest);
    assert.ok(firstTs, 'rows carry data-ts');
    assert.deepEqual(pageErrors, []);
  });
});

test('explorer: search is a case-insensitive substring, tokens match and are chips', async (t) => {
  const truth = await truthOf();
  const q = '****NAME****';
  const want = truth.filter((m) => m.text.toLowerCase().includes(q.toLowerCase())).length;
  assert.ok(want > 0, 'no message with a NAME token in the truth');
  await withPage(t, browser, explorerUrl(), async ({ page, pageErrors }) => {
    await expectPanelState(page, 'messages', 'ready');
    const box = panel(page, 'messages').locator('input[type="search"][name="q"]');
    await box.fill('****name****');
    await expectMatchCount(page, want, 'messages with ****NAME****');
    const texts = panel(page, 'messages').locator('[data-role="message"] [data-role="text"]');
    const n = await texts.count();
    assert.ok(n > 0);
    for (let i = 0; i < Math.min(n, 20); i++) {
      const entities = await texts.nth(i).locator('mark[data-entity]').evaluateAll((ms) => ms.map((m) => [m.dataset.entity, m.title]));
      assert.ok(entities.some(([e]) => e === 'NAME'), `row ${i} has no NAME chip`);
      for (const [e, title] of entities) {
        assert.ok(!e.includes('*'), `entity ${e} keeps asterisks`);
        assert.ok(title && title.length > 3, `chip ${e} has no tooltip`);
      }
    }
    const nameTitle = await texts.first().locator('mark[data-entity="NAME"]').first().getAttribute('title');
    assert.match(nameTitle, /firstname lastname/);
    // A plain word, upper-cased, gives the same as the truth's lower-cased substring.
    const word = truth.find((m) => /\b[a-z]{6,}\b/.test(m.text)).text.match(/\b[a-z]{6,}\b/)[0];
    await box.fill(word.toUpperCase());
    await expectMatchCount(page, truth.filter((m) => m.text.toLowerCase().includes(word)).length, `search ${word}`);
    await expectParam(page, 'q', word.toUpperCase());
    // Reopening the URL restores the search.
    await page.goto(page.url());
    await expectPanelState(page, 'messages', 'ready');
    assert.equal(await panel(page, 'messages').locator('input[name="q"]').inputValue(), word.toUpperCase());
    await expectMatchCount(page, truth.filter((m) => m.text.toLowerCase().includes(word)).length, 'after reload');
    assert.deepEqual(pageErrors, []);
  });
});

test('explorer: facets filter as the truth and live in the URL', async (t) => {
  const truth = await truthOf();
  await withPage(t, browser, explorerUrl(), async ({ page, pageErrors }) => {
    await expectPanelState(page, 'messages', 'ready');
    const p = panel(page, 'messages');
    await p.locator('input[type="checkbox"][name="sendertype"][value="customer"]').check();
    await expectMatchCount(page, truth.filter((m) => m.sendertype === 'customer').length, 'customers');
    await p.locator('input[type="checkbox"][name="sentiment"][value="negative"]').check();
    const negCust = truth.filter((m) => m.sendertype === 'customer' && sign(m.sentiment) === 'negative');
    await expectMatchCount(page, negCust.length, 'negative customers');
    await p.locator('input[type="checkbox"][name="sentiment"][value="neutral"]').check();
    await expectMatchCount(page, truth.filter((m) => m.sendertype === 'customer' && sign(m.sentiment) !== 'positive').length,
      'non-positive customers');
    await expectParam(page, 'sendertype', 'customer');
    await expectParam(page, 'sentiment', 'negative,neutral');
    // A topic facet from the truth, from the URL this time.
    const topic = truth.find((m) => m.topic).topic;
    await page.goto(explorerUrl({ topic, sendertype: 'agent,bot' }));
    await expectPanelState(page, 'messages', 'ready');
    await expectMatchCount(page, truth.filter((m) => m.topic === topic && ['agent', 'bot'].includes(m.sendertype)).length, 'topic + agent/bot');
    assert.ok(await p.locator(`input[name="topic"][value="${topic}"]`).isChecked());
    assert.deepEqual(pageErrors, []);
  });
});

test('explorer: the order is in the URL: oldest first from a link, newest first again from the select', async (t) => {
  const truth = await truthOf();
  const tsSorted = truth.map((m) => m.ts).sort((a, b) => a - b);
  await withPage(t, browser, explorerUrl({ order: 'oldest' }), async ({ page }) => {
    await expectPanelState(page, 'messages', 'ready');
    const p = panel(page, 'messages');
    const firstTs = async () => Number(await p.locator('[data-role="message"]').first().getAttribute('data-ts'));
    assert.equal(await p.locator('select[name="order"]').inputValue(), 'oldest');
    assert.equal(await firstTs(), tsSorted[0], 'the oldest message first');
    await p.locator('select[name="order"]').selectOption('newest');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('order'), null, { timeout: 5000 });
    await page.waitForFunction((ts) => Number(document.querySelector('section[data-panel="messages"] [data-role="message"]')?.dataset.ts) === ts,
      tsSorted[tsSorted.length - 1], { timeout: 5000 });
  });
});

test('explorer: opening a row shows its conversation, segments in numeric order', async (t) => {
  // A conversation with segments past 10, and a range that holds all of it.
  const wide = await truthOf(START - 10 * DAY, END);
  const target = wide.find((m) => Number(segNum(m.sessionid)) >= 10);
  assert.ok(target, 'the mock has no conversation past segment 10 in the range');
  const conv = String(target.sessionid).split('.')[0];
  const from = target.ts - 4 * HOUR;
  const to = target.ts + 4 * HOUR;
  const truth = await truthOf(from, to);
  const convTruth = truth.filter((m) => String(m.sessionid).split('.')[0] === conv);
  await withPage(t, browser, explorerUrl({}, from, to), async ({ page, pageErrors }) => {
    await expectPanelState(page, 'messages', 'ready');
    const p = panel(page, 'messages');
    await p.locator('input[name="q"]').fill(target.text);
    const row = p.locator(`[data-role="message"][data-sessionid="${target.sessionid}"][data-ts="${target.ts}"]`);
    await row.first().waitFor({ timeout: TIMEOUT });
    await row.first().click();
    const c = p.locator(`[data-role="conversation"][data-conversation="${conv}"]`);
    await c.waitFor({ timeout: 10_000 });
    const segs = await c.locator('[data-segment]').evaluateAll((els) => els.map((e) => e.dataset.segment));
    const nums = segs.map(Number);
    assert.deepEqual(nums, [...nums].sort((a, b) => a - b), `segments out of order: ${segs.join(', ')}`);
    assert.ok(segs.includes(segNum(target.sessionid)), `segment ${segNum(target.sessionid)} missing`);
    const wantSegs = [...new Set(convTruth.map((m) => segNum(m.sessionid)))].sort((a, b) => a - b);
    assert.deepEqual(segs, wantSegs);
    // Every message of the conversation, each in its segment, in time order inside it.
    for (const s of segs) {
      const got = await c.locator(`[data-segment="${s}"] [data-ts]`).evaluateAll((els) => els.map((e) => Number(e.dataset.ts)));
      const want = convTruth.filter((m) => segNum(m.sessionid) === s).map((m) => m.ts).sort((a, b) => a - b);
      assert.deepEqual(got, want, `segment ${s}`);
    }
    // The opened message is marked and in view.
    const current = c.locator('[aria-current="true"]');
    assert.equal(await current.getAttribute('data-ts'), String(target.ts));
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-role="conversation"] [aria-current="true"]');
      const box = el?.closest('[data-role="conversation"]');
      if (!el || !box) return false;
      const a = el.getBoundingClientRect(); const b = box.getBoundingClientRect();
      return a.bottom > b.top && a.top < b.bottom;
    }, null, { timeout: 5000 });
    // Detail: every field, and the top matches with scores.
    const detail = p.locator('[data-role="detail"]');
    assert.equal(await detail.locator('[data-field="sessionid"]').innerText(), String(target.sessionid));
    assert.equal(await detail.locator('[data-role="topmatch"]').count(), (target.topmatches ?? []).length);
    // Escape closes, Enter reopens, arrows move.
    await page.keyboard.press('Escape');
    await c.waitFor({ state: 'detached', timeout: 5000 });
    await page.keyboard.press('Enter');
    await p.locator('[data-role="conversation"]').waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await p.locator('input[name="q"]').fill('');
    await expectMatchCount(page, truth.length, 'cleared search');
    await p.locator('[data-role="message"]').first().click();
    const firstOpen = await p.locator('[data-role="detail"]').getAttribute('data-ts');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((ts) => document.querySelector('[data-role="detail"]')?.dataset.ts !== ts, firstOpen, { timeout: 5000 });
    const second = await p.locator('[data-role="message"]').nth(1).getAttribute('data-ts');
    assert.equal(await p.locator('[data-role="detail"]').getAttribute('data-ts'), second);
    assert.deepEqual(pageErrors, []);
  });
});

// A hostile corpus, served for every Messages call of the page.
function hostileBody(from) {
  const long = 'A'.repeat(19_990) + ' ****NAME****';
  const items = [
    { text: '<script>window.__pwned = 1</script> hi ****NAME****', sessionid: '"1.1"' },
    { text: '<img src=x onerror="window.__pwned = 2"> ****CUSTOM_THING**** and ****MONEY****', sessionid: '"1.2"' },
    { text: '<a href="javascript:window.__pwned = 3">click</a>', sessionid: '"1.10"', sendername: 'javascript:alert(1)' },
    { text: 'مرحبا بالعالم ‮ reversed ‬ שלום 👋🏽🎉 ****GPE****', sessionid: '"1.9"' },
    { text: long, sessionid: '"2.1"' },
    { text: '=cmd|\' /C calc\'!A0', sessionid: '12.10' /* a JSON number */ },
    { text: '"><svg onload="window.__pwned=4">', sessionid: '"3.1"', workflow: '<b onmouseover=alert(1)>wf</b>' },
  ];
  const parts = items.map((m, i) => {
    const obj = {
      text: m.text, timestamp: 'x', ts: from + 60_000 * (i + 1), sendertype: i % 2 ? 'agent' : 'customer',
      sentiment: i - 3, topic: '<i>topic</i>', score: 0.5,
      topmatches: [{ topic: '<u>t</u>', score: 0.4, text: '<script>window.__pwned=5</script>' }],
      ...(m.sendername ? { sendername: m.sendername } : {}),
      ...(m.workflow ? { workflow: m.workflow } : {}),
    };
    // sessionid spliced in raw, so 12.10 stays a JSON number token.
    return JSON.stringify(obj).replace(/^\{/, `{"sessionid":${m.sessionid},`);
  });
  return { body: `[${parts.join(',')}]`, items };
}

async function routeMessages(page, handler) {
  await page.route('**/Dashboard/Messages*', async (route) => {
    const headers = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type',
      'access-control-allow-methods': 'POST, OPTIONS',
    };
    if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers });
    return handler(route, headers);
  });
}

test('explorer: a hostile corpus renders literally and runs nothing', async (t) => {
  const from = END - DAY;
  const { body, items } = hostileBody(from);
  await withPage(t, browser, 'about:blank', async ({ page, pageErrors }) => {
    await routeMessages(page, (route, headers) =>
      route.fulfill({ status: 200, headers: { ...headers, 'content-type': 'application/json' }, body }));
    await page.goto(explorerUrl({}, from, END));
    await expectPanelState(page, 'messages', 'ready');
    assert.equal(await matchCount(page), items.length);
    const p = panel(page, 'messages');
    // Open each row so the detail (with topmatches) renders too.
    const n = await p.locator('[data-role="message"]').count();
    assert.equal(n, items.length);
    for (let i = 0; i < n; i++) await p.locator('[data-role="message"]').nth(i).click();
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'hostile text ran');
    assert.equal(await p.locator('script, img, svg [onload], a[href^="javascript"], b, i, u, [onerror], [onmouseover]').count(), 0,
      'hostile markup became elements');
    const texts = await p.locator('[data-role="message"]').evaluateAll((rows) =>
      rows.map((r) => [r.dataset.sessionid, r.querySelector('[data-role="text"]').textContent]));
    for (const it of items) {
      const sid = it.sessionid.replace(/"/g, '');
      const row = texts.find(([s]) => s === sid);
      assert.ok(row, `no row with data-sessionid ${sid} (have ${texts.map((x) => x[0]).join(', ')})`);
      assert.equal(row[1], it.text, `text of ${sid} not literal`);
    }
    const chips = await p.locator('mark[data-entity]').evaluateAll((ms) => [...new Set(ms.map((m) => m.dataset.entity))].sort());
    assert.deepEqual(chips, ['CUSTOM_THING', 'GPE', 'MONEY', 'NAME']);
    // The long text neither breaks the fixed row height nor the page.
    const heights = await p.locator('[data-role="message"]').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    assert.ok(heights.every((h) => h === heights[0]), `row heights differ: ${heights}`);
    // Search works on it too.
    await p.locator('input[name="q"]').fill('<SCRIPT>');
    await expectMatchCount(page, 1, 'search <script>');
    assert.deepEqual(pageErrors, []);
  });
});

test('explorer: an API refusal shows the error with its status', async (t) => {
  await withPage(t, browser, 'about:blank', async ({ page, pageErrors }) => {
    await routeMessages(page, (route, headers) => route.fulfill({
      status: 403, headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'error', error: 'FORBIDDEN', message: 'partner not allowed' }),
    }));
    await page.goto(explorerUrl());
    await expectPanelState(page, 'messages', 'error');
    const text = await panel(page, 'messages').locator('[data-role="error"]').innerText();
    assert.match(text, /403/);
    assert.match(text, /administrator/, 'the error says what to do');
    assert.deepEqual(pageErrors, []);
  });
});
