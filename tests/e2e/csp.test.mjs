// The deployable build (`cargo xtask dist`) served with the strict
// Content-Security-Policy of docs/deploy.md (no 'unsafe-inline', no 'unsafe-eval';
// 'wasm-unsafe-eval' for the wasm): the dashboard boots, loads data, draws its
// charts and tables, and the browser reports no CSP violation on the way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, expectPanelState, panel,
  readPanelTable, fetchTruth, bucketsByStart, intValue,
} from './helpers.mjs';

const DASHBOARD_CSP_URL = requireEnv('DASHBOARD_CSP_URL');
const MOCK_URL = requireEnv('MOCK_URL');

const browser = sharedBrowser();

const END = Date.UTC(2026, 8, 1); // 2026-09-01T00:00Z
const START = END - 7 * DAY;

/** Records every securitypolicyviolation event of the page (and its frames). */
async function recordViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

test('csp: the dist boots and renders data under a strict Content-Security-Policy', async (t) => {
  // The header really is there (so a pass means something).
  const res = await fetch(`${DASHBOARD_CSP_URL}/`);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'index.html has an inline script');
  assert.doesNotMatch(html, /\sstyle=/i, 'index.html has a style attribute');

  const url = dashboardUrl(DASHBOARD_CSP_URL, {
    from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions,intents,bot-access,messages',
  });
  // Opened blank first, so the violation recorder is in place before the page loads.
  await withPage(t, browser, 'about:blank', async ({ page, context, consoleErrors, pageErrors }) => {
    await recordViolations(context);
    await page.goto(url, { waitUntil: 'load' });
    for (const p of ['interactions', 'intents', 'bot-access']) {
      await expectPanelState(page, p, 'ready');
    }
    await expectPanelState(page, 'messages', 'ready');

    // Data, not just a frame: the interactions table equals the truth.
    const table = await readPanelTable(page, 'interactions');
    const truth = bucketsByStart(await fetchTruth(MOCK_URL, 'Interactions', {
      startTime: START, endTime: END, interval: '1d', timezone: 'UTC',
    }));
    assert.equal(table.rows.length, 7);
    table.rows.forEach((r, k) => {
      assert.equal(intValue(r.values.total, `row ${k}`), truth.get(START + k * DAY)?.total ?? 0, `row ${k}`);
    });
    // The charts drew (ECharts styles its DOM through CSSOM, which CSP allows).
    await panel(page, 'intents').locator('.chart canvas, .chart svg').first().waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    const atRender = await page.evaluate(() => window.__cspViolations.slice());
    assert.deepEqual(atRender, [], `CSP violations while booting and rendering:\n${atRender.join('\n')}`);
    const cspConsole = consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepEqual(cspConsole, [], `CSP errors in the console:\n${cspConsole.join('\n')}`);
    assert.deepEqual(pageErrors, []);
  });
});

// ECharts' HTML tooltip writes `style="…"` attributes through innerHTML, which
// `style-src 'self'` blocks (style-src-attr); the charts use the canvas-drawn
// richText tooltip instead, and this test keeps it that way.
test('csp: showing a chart tooltip reports no CSP violation', async (t) => {
  const url = dashboardUrl(DASHBOARD_CSP_URL, { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'intents' });
  await withPage(t, browser, 'about:blank', async ({ page, context }) => {
    await recordViolations(context);
    await page.goto(url, { waitUntil: 'load' });
    await expectPanelState(page, 'intents', 'ready');
    const chart = panel(page, 'intents').locator('.chart').first();
    await chart.locator('canvas, svg').first().waitFor({ state: 'attached' });
    const box = await chart.boundingBox();
    assert.ok(box, 'the chart has a box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 2);
    await page.waitForTimeout(500);
    const violations = [...new Set(await page.evaluate(() => window.__cspViolations))];
    assert.deepEqual(violations, [], `CSP violations after showing a chart tooltip:\n${violations.join('\n')}`);
  });
});
