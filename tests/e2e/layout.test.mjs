// The page at the widths a portal gives the iframe: nothing overflows sideways
// (no page-level horizontal scroll), the header is one row under 64 px from
// 1024 px, panels are one column under about 760 px and two on a wide screen,
// the explorer's facets fold into a drawer on narrow screens, and the range
// popover stays inside the window.
//
// With E2E_SCREENSHOTS=DIR set, it also leaves DIR/page-WIDTH.png and
// DIR/range-popover-WIDTH.png (the README's screenshots).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DAY, requireEnv, sharedBrowser, withPage, dashboardUrl, waitForPanelSettled, TIMEOUT } from './helpers.mjs';

const DASHBOARD_URL = requireEnv('DASHBOARD_URL');
const SHOTS = process.env.E2E_SCREENSHOTS;
const END = Date.UTC(2026, 9, 1);
const START = END - 7 * DAY;
const COUNT_PANELS = ['interactions', 'intents', 'bot-access', 'bot-vs-agent', 'customer-endpoint'];

const browser = sharedBrowser();

/** How far the page reaches past the window sideways (0 when nothing overflows). */
function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The elements whose right edge passes the window's, for a readable failure. */
function overflowing(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > w + 0.5 && el.getClientRects().length)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
}

async function shot(page, name) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

for (const width of [320, 360, 760, 1024, 1440]) {
  test(`layout at ${width} px: no sideways scroll, header, columns, popover`, async (t) => {
    const url = dashboardUrl(DASHBOARD_URL, { from: START, to: END, interval: '1d', tz: 'UTC' });
    const viewport = { width, height: 900 };
    await withPage(t, browser, url, async ({ page, pageErrors }) => {
      for (const name of [...COUNT_PANELS, 'messages']) await waitForPanelSettled(page, name);
      // Charts draw after their container has a size; give the canvases a frame.
      await page.waitForFunction(() => document.querySelectorAll('section[data-panel] canvas').length >= 5, null, { timeout: TIMEOUT });

      const over = await sidewaysOverflow(page);
      assert.ok(over <= 0, `the page scrolls sideways by ${over} px at ${width}: ${(await overflowing(page)).join(', ')}`);

      const header = await page.locator('[data-role="topbar"]').boundingBox();
      if (width >= 1024) {
        assert.ok(header.height < 64, `the header is ${header.height} px tall at ${width}`);
      } else {
        assert.ok(header.height < 140, `the header is ${header.height} px tall at ${width}`);
      }

      // One column of count panels under ~760 px, two on a wide screen.
      const lefts = new Set();
      for (const name of COUNT_PANELS) {
        const box = await page.locator(`section[data-panel="${name}"]`).boundingBox();
        lefts.add(Math.round(box.x));
        assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `panel ${name} leaves the window at ${width}`);
      }
      assert.equal(lefts.size, width <= 760 ? 1 : 2, `panel columns at ${width}`);

      // The explorer's facets: a drawer behind a button on narrow screens.
      const facet = page.locator('section[data-panel="messages"] input[type="checkbox"][name="sendertype"]').first();
      const toggle = page.locator('[data-action="toggle-facets"]');
      if (width <= 760) {
        assert.equal(await facet.isVisible(), false, 'facets shown without asking');
        await toggle.click();
        await facet.waitFor({ state: 'visible', timeout: TIMEOUT });
        assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
        await toggle.click();
      } else {
        assert.equal(await toggle.isVisible(), false);
        assert.ok(await facet.isVisible(), 'facets hidden on a wide screen');
      }
      await page.locator('[data-role="topbar"]').scrollIntoViewIfNeeded();
      await shot(page, `page-${width}`);

      // The popover opens inside the window and still nothing scrolls sideways.
      await page.locator('[data-action="open-range"]').click();
      const popover = page.locator('[data-role="range-popover"]');
      await popover.waitFor({ state: 'visible', timeout: TIMEOUT });
      const box = await popover.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `popover at ${box.x}..${box.x + box.width} in ${width}`);
      const overOpen = await sidewaysOverflow(page);
      assert.ok(overOpen <= 0, `with the popover open the page scrolls sideways by ${overOpen} px: ${(await overflowing(page)).join(', ')}`);
      await shot(page, `range-popover-${width}`);
      assert.deepEqual(pageErrors, []);
    }, { viewport });
  });
}
