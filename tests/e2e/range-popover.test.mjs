// The range button and its popover, the way a keyboard user works it: open,
// search, choose, close, without a mouse; Grafana's t ← / t → / t z; every quick
// range applies and loads; axe finds nothing with the popover open.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DAY, HOUR, requireEnv, sharedBrowser, withPage, dashboardUrl, waitForPanelSettled, TIMEOUT } from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const END = Date.UTC(2026, 9, 1);
const START = END - 7 * DAY;

// What each quick range must put in the URL (the picker's list; a new entry
// fails here until it is added).
const QUICK = {
  'last-6h': ['now-6h', 'now', '1h'],
  'last-12h': ['now-12h', 'now', '1h'],
  'last-24h': ['now-24h', 'now', '1h'],
  'last-7x24h': ['now-7d', 'now', '6h'],
  'last-7d': ['now-7d/d', 'now', '1d'],
  'last-30d': ['now-30d/d', 'now', '1d'],
  'last-90d': ['now-90d/d', 'now', '1d'],
  'today-so-far': ['now/d', 'now', '1h'],
  today: ['now/d', 'now/d', '1h'],
  yesterday: ['now-1d/d', 'now-1d/d', '1h'],
  'this-week-so-far': ['now/w', 'now', '1d'],
  'this-week': ['now/w', 'now/w', '1d'],
  'last-week': ['now-1w/w', 'now-1w/w', '1d'],
  'this-month': ['now/mo', 'now/mo', '1d'],
  'last-month': ['now-1mo/mo', 'now-1mo/mo', '1d'],
  'year-to-date': ['now/y', 'now', '1mo'],
};

const browser = sharedBrowser();

function params(page) {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

const focusedName = (page) => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.dataset.action);

test('the popover opens, searches, chooses and closes from the keyboard', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await waitForPanelSettled(page, 'interactions');
    const button = page.locator('[data-action="open-range"]');
    const popover = page.locator('[data-role="range-popover"]');
    assert.match(await page.locator('[data-role="range-words"]').innerText(), /24 Sep – 30 Sep 2026|24–30 Sep 2026/);

    // Tab to the button like a keyboard user, open it with Enter.
    await button.focus();
    await page.keyboard.press('Enter');
    await popover.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'range-search');

    // Search, move with the arrows, choose with Enter.
    await page.keyboard.type('last week');
    assert.deepEqual(await page.locator('[data-quick-range]').evaluateAll((els) => els.map((e) => e.dataset.quickRange)), ['last-week']);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace'); // "last "
    await page.keyboard.press('ArrowDown');
    const active = await page.locator('[data-quick-range][aria-selected="true"]').getAttribute('data-quick-range');
    const want = QUICK[active];
    assert.ok(want, `the active option ${active} is a known quick range`);
    await page.keyboard.press('Enter');
    await popover.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await page.waitForFunction(([f, to]) => {
      const p = new URL(location.href).searchParams;
      return p.get('from') === f && p.get('to') === to;
    }, want, { timeout: TIMEOUT });
    assert.equal(await focusedName(page), 'open-range', 'focus goes back to the button');

    // Escape closes without applying, from the absolute fields too.
    await page.keyboard.press('Enter');
    await popover.waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.locator('input[name="from"]').focus();
    await page.keyboard.press('Escape');
    await popover.waitFor({ state: 'hidden', timeout: TIMEOUT });
    assert.equal(await focusedName(page), 'open-range');
    assert.equal(params(page).from, want[0]);
    assert.deepEqual(pageErrors, []);
  });
});

test('t ← and t → shift the range, t z zooms out', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await waitForPanelSettled(page, 'interactions');
    const range = () => { const p = params(page); return [Number(p.from), Number(p.to)]; };
    const waitFor = (from, to) => page.waitForFunction(([f, e]) => {
      const p = new URL(location.href).searchParams;
      return p.get('from') === String(f) && p.get('to') === String(e);
    }, [from, to], { timeout: TIMEOUT });
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('t');
    await page.keyboard.press('ArrowLeft');
    await waitFor(START - 7 * DAY, START);
    await page.keyboard.press('t');
    await page.keyboard.press('ArrowRight');
    await waitFor(START, END);
    await page.keyboard.press('t');
    await page.keyboard.press('z');
    // Twice as long around the same centre (the range is in the past).
    await waitFor(START - 3.5 * DAY, END + 3.5 * DAY);
    assert.deepEqual(range(), [START - 84 * HOUR, END + 84 * HOUR]);
    assert.deepEqual(pageErrors, []);
  });
});

test('every quick range applies, names itself on the button and loads', async (t) => {
  const url = dashboardUrl(DASHBOARD_URL, { tz: 'UTC', panels: 'interactions' });
  await withPage(t, browser, url, async ({ page, pageErrors }) => {
    await waitForPanelSettled(page, 'interactions');
    await page.locator('[data-action="open-range"]').click();
    const ids = await page.locator('[data-quick-range]').evaluateAll((els) => els.map((e) => e.dataset.quickRange));
    assert.deepEqual(ids.slice().sort(), Object.keys(QUICK).sort(), 'the quick ranges the test knows');
    await page.keyboard.press('Escape');
    for (const id of ids) {
      await page.locator('[data-action="open-range"]').click();
      const option = page.locator(`[data-quick-range="${id}"]`);
      const label = (await option.innerText()).replace('✓', '').trim();
      await option.click();
      const [from, to, interval] = QUICK[id];
      await page.waitForFunction(([f, e, i]) => {
        const p = new URL(location.href).searchParams;
        return p.get('from') === f && p.get('to') === e && p.get('interval') === i;
      }, [from, to, interval], { timeout: TIMEOUT });
      assert.equal(await page.locator('[data-role="range-words"]').innerText(), label, `${id}: the button's words`);
      const state = await waitForPanelSettled(page, 'interactions');
      assert.ok(['ready', 'empty'].includes(state), `${id}: interactions panel is ${state}`);
    }
    assert.deepEqual(pageErrors, []);
  });
});

for (const theme of ['light', 'dark']) {
  test(`axe finds nothing with the range popover open (${theme})`, async (t) => {
    const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC', theme, panels: 'interactions' });
    await withPage(t, browser, url, async ({ page }) => {
      await waitForPanelSettled(page, 'interactions');
      await page.locator('[data-action="open-range"]').click();
      await page.locator('[data-role="range-popover"]').waitFor({ state: 'visible', timeout: TIMEOUT });
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
      });
      assert.deepEqual(violations, [], `axe violations with the popover open (${theme}):\n${violations.join('\n')}`);
    });
  });
}
