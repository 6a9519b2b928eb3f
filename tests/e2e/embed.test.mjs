// Embedding (ui-hooks.md "Embedding"): the example portal page (examples/embed/,
// served on its own origin EMBED_HOST_URL) frames the dashboard (DASHBOARD_EMBED_URL,
// whose config.json lists that origin in embedOrigins, served under the strict CSP).
// - the portal gets `ready` once and `height` messages, and its iframe follows the
//   dashboard's content height as it changes;
// - `set-range` from the portal changes the dashboard's range (URL and data);
// - messages from a foreign origin (EMBED_FOREIGN_URL) are ignored, whether it
//   frames the dashboard itself or sits beside it in the portal; and the dashboard
//   posts nothing to a foreign embedder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR, DAY, TIMEOUT, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState,
  readPanelTable,
} from './helpers.mjs';

const HOST = requireEnv('EMBED_HOST_URL');
const FOREIGN = requireEnv('EMBED_FOREIGN_URL');
const DASHBOARD = requireEnv('DASHBOARD_EMBED_URL');
const DASHBOARD_ORIGIN = new URL(DASHBOARD).origin;

const browser = sharedBrowser();

const END = Date.UTC(2026, 7, 1); // 2026-08-01T00:00Z
const START = END - 3 * DAY;

/** The portal page at `origin`, framing the dashboard with `params`. */
function portalUrl(origin, params) {
  return `${origin}/?dashboard=${encodeURIComponent(dashboardUrl(DASHBOARD, params))}`;
}

/** The dashboard's frame inside the portal page. */
async function dashboardFrame(page) {
  await page.waitForFunction(
    (o) => [...document.querySelectorAll('iframe')].some((f) => f.src.startsWith(o)),
    DASHBOARD_ORIGIN,
    { timeout: TIMEOUT },
  );
  for (let i = 0; i < 100; i++) {
    const f = page.frames().find((fr) => fr !== page.mainFrame() && fr.url().startsWith(DASHBOARD_ORIGIN));
    if (f) return f;
    await page.waitForTimeout(100);
  }
  throw new Error('no dashboard frame');
}

/** The query parameters of the frame's current URL (the dashboard keeps it in sync). */
async function frameParams(frame) {
  return Object.fromEntries(new URL(await frame.evaluate(() => location.href)).searchParams);
}

/** Wait until the iframe's height equals the dashboard document's content height. */
async function waitHeightFollows(page, frame, predicate = () => true) {
  const deadline = Date.now() + TIMEOUT;
  let last;
  while (Date.now() < deadline) {
    const iframe = await page.evaluate(() => document.getElementById('dashboard').getBoundingClientRect().height);
    const content = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
    last = { iframe, content };
    if (Math.abs(iframe - Math.ceil(content)) <= 1 && predicate(iframe)) return iframe;
    await page.waitForTimeout(100);
  }
  throw new Error(`iframe height does not follow the content: ${JSON.stringify(last)}`);
}

test('embed: ready, auto-height and set-range from the allowed portal', async (t) => {
  const url = portalUrl(HOST, { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    const frame = await dashboardFrame(page);
    await page.locator('iframe#dashboard[data-ready="true"]').waitFor({ timeout: TIMEOUT });
    await expectPanelState(frame, 'interactions', 'ready');
    // Kiosk: the portal asked for no picker (data-role of the picker is not a hook,
    // but its inputs would be; none of the page's own range controls is there).
    assert.equal((await frameParams(frame)).kiosk, '1');

    // Auto-height: the iframe takes the content height, and follows it both ways.
    // Measured once nothing on the page is loading any more (the key figures wait
    // for the previous period, the anomaly strip for the history), so the 700 px
    // below is the only change.
    await frame.waitForFunction(() => !document.querySelector('[data-state="loading"]'), null, { timeout: TIMEOUT });
    const base = await waitHeightFollows(page, frame, (h) => h > 200);
    await frame.evaluate(() => {
      const d = document.createElement('div');
      d.id = 'e2e-tall';
      d.style.height = '700px'; // CSSOM: allowed by the CSP
      document.body.append(d);
    });
    const tall = await waitHeightFollows(page, frame, (h) => h >= base + 699);
    assert.ok(tall <= base + 701, `grew by ${tall - base}, expected 700`);
    await frame.evaluate(() => document.getElementById('e2e-tall').remove());
    await waitHeightFollows(page, frame, (h) => Math.abs(h - base) <= 1);

    const messages = await page.evaluate(() => window.embedHost.messages);
    assert.equal(messages.filter((m) => m.type === 'engagement-dashboard:ready').length, 1, 'ready exactly once');
    assert.ok(messages.some((m) => m.type === 'engagement-dashboard:height' && Number.isInteger(m.height)));

    // set-range: one day of hours, as epoch ms strings.
    const from = START + DAY;
    const to = START + 2 * DAY;
    await page.evaluate(([f, t2]) => window.embedHost.setRange(f, t2, '1h'), [String(from), String(to)]);
    await frame.waitForFunction(
      ([f, t2]) => {
        const p = new URLSearchParams(location.search);
        return p.get('from') === f && p.get('to') === t2 && p.get('interval') === '1h';
      },
      [String(from), String(to)],
      { timeout: TIMEOUT },
    );
    await expectPanelState(frame, 'interactions', 'ready');
    const table = await readPanelTable(frame, 'interactions');
    assert.equal(table.rows.length, 24, 'the new range loaded: 24 hourly rows');
    assert.equal(table.rows[0].start, String(from));
    assert.equal(table.rows[23].start, String(to - HOUR));

    // A bad value is ignored with a notice; the range stays.
    await page.evaluate(() => window.embedHost.setRange('yesterday', 'now'));
    await frame.locator('[data-role="embed-notice"]').waitFor({ timeout: TIMEOUT });
    const p = await frameParams(frame);
    assert.deepEqual([p.from, p.to, p.interval], [String(from), String(to), '1h']);
    assert.deepEqual(pageErrors, []);
  });
});

test('embed: messages from a foreign origin are ignored', async (t) => {
  const params = { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions' };
  const foreignRange = { type: 'engagement-dashboard:set-range', from: String(START - 30 * DAY), to: String(START), interval: '1d' };

  // 1. A foreign frame beside the dashboard in the allowed portal posts to it.
  await withPage(t, browser, portalUrl(HOST, params), async ({ page }) => {
    const frame = await dashboardFrame(page);
    await expectPanelState(frame, 'interactions', 'ready');
    const before = await frameParams(frame);
    await page.evaluate((src) => new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.id = 'foreign';
      f.addEventListener('load', resolve, { once: true });
      f.src = src;
      document.body.append(f);
    }), `${FOREIGN}/host.css`);
    const foreign = page.frames().find((f) => f.url().startsWith(FOREIGN));
    assert.ok(foreign, 'the foreign frame loaded');
    await foreign.evaluate((msg) => window.parent.frames[0].postMessage(msg, '*'), foreignRange);
    // Nothing to wait for but time: the message would be handled within a task.
    await page.waitForTimeout(1500);
    assert.deepEqual(await frameParams(frame), before, 'a foreign sibling changed the range');
    assert.equal(await frame.locator('[data-role="embed-notice"]').count(), 0);
    // Control: the same message from the portal itself does apply.
    await page.evaluate((m) => window.embedHost.setRange(m.from, m.to, m.interval), foreignRange);
    await frame.waitForFunction((f) => new URLSearchParams(location.search).get('from') === f, foreignRange.from, { timeout: TIMEOUT });
  });

  // 2. A foreign portal frames the dashboard itself (frame-ancestors lets it here):
  //    it gets no message, and its set-range is ignored.
  await withPage(t, browser, portalUrl(FOREIGN, params), async ({ page }) => {
    const frame = await dashboardFrame(page);
    await expectPanelState(frame, 'interactions', 'ready');
    const before = await frameParams(frame);
    await page.evaluate((m) => window.embedHost.setRange(m.from, m.to, m.interval), foreignRange);
    await page.waitForTimeout(1500);
    assert.deepEqual(await frameParams(frame), before, 'a foreign embedder changed the range');
    assert.deepEqual(await page.evaluate(() => window.embedHost.messages), [], 'the dashboard posted to a foreign embedder');
    assert.equal(await page.locator('iframe#dashboard[data-ready]').count(), 0);
  });
});
