// Saved views on the relay (README "Saved views"), against the REAL relay with
// tenants: two users of one team in two browser contexts, one saves a team view
// and the other opens it; a user of another tenant with a team of the same name
// sees nothing; a version conflict (412) offers to reload or save a copy; my
// default view opens when the URL has no parameters. View names are hostile text.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { DAY, requireEnv, sharedBrowser } from './helpers.mjs';
import { mint, withPortal } from './auth-helpers.mjs';

const browser = sharedBrowser();

// Until the relay mounts the views API (issue 12's relay half) its path is a 404:
// these tests then say so and skip, rather than fail on the missing server half.
const viewsApi = fetch(`${requireEnv('RELAY_URL')}/v1/views`, {
  headers: { authorization: `Bearer ${mint({ scope: 'views' })}` },
}).then((r) => r.status !== 404, () => false);

/** `test` that first checks the relay serves the views API: a 404 there fails, never skips. */
function viewsTest(name, fn) {
  test(name, async (t) => {
    assert.ok(await viewsApi, 'the relay under test serves no /v1/views');
    await fn(t);
  });
}
const END = Date.UTC(2026, 9, 1);
const SAVED = { from: END - 3 * DAY, to: END, interval: '1d', tz: 'Europe/Berlin', panels: 'interactions' };
const OTHER = { from: END - 2 * DAY, to: END, interval: '1h', tz: 'UTC', panels: 'intents' };
const HOSTILE = `<img src=x onerror="window.__pwned=1">Support weekly ${Date.now()}`;
const user = (sub, extra = {}) => () =>
  mint({ sub, name: sub.toUpperCase(), teams: ['support'], scope: 'counts messages views', ...extra });

async function openMenu(frame) {
  const menu = frame.locator('details[data-role="saved-views"]');
  await menu.waitFor();
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
  await frame.locator('details[data-role="saved-views"][data-loaded="true"]').waitFor();
  return menu;
}

const row = (frame, name) => frame.locator(`li[data-view-name="${name.replaceAll('"', '\\"')}"]`);

async function saveView(frame, name, target) {
  const menu = await openMenu(frame);
  await menu.locator('input[name="view-name"]').fill(name);
  await menu.locator('select[name="view-scope"]').selectOption(target);
  await menu.locator('[data-action="save-view"]').click();
  await row(frame, name).waitFor();
}

async function status(frame) {
  const s = frame.locator('[data-role="saved-views-status"]');
  return { state: await s.getAttribute('data-state'), text: await s.innerText() };
}

const param = (frame, k) => frame.evaluate((key) => new URL(location.href).searchParams.get(key), k);

viewsTest('views: one user saves a team view and a teammate opens it; names stay text', async (t) => {
  await withPortal(t, browser, { params: SAVED, tokens: user('ann') }, async ({ frame }) => {
    await saveView(frame, HOSTILE, 'team:support');
    assert.equal(await row(frame, HOSTILE).getAttribute('data-team'), 'support');
  });
  await withPortal(t, browser, { params: OTHER, tokens: user('bob') }, async ({ frame }) => {
    await openMenu(frame);
    const r = row(frame, HOSTILE);
    await r.waitFor();
    assert.match(await r.innerText(), /by ANN/);
    assert.equal(await r.locator('[data-action="delete-view"]').count(), 0, "only the owner may delete");
    assert.equal(await frame.locator('[data-role="saved-views"] img').count(), 0, 'a name is never HTML');
    await r.locator('[data-action="open-view"]').click();
    await frame.waitForFunction(() => new URL(location.href).searchParams.get('tz') === 'Europe/Berlin');
    assert.equal(await param(frame, 'panels'), 'interactions');
    assert.equal(await param(frame, 'interval'), '1d');
    assert.equal(await frame.evaluate(() => window.__pwned), undefined);
  });
});

viewsTest('views: a user of another tenant with a team of the same name sees nothing', async (t) => {
  await withPortal(t, browser, { params: OTHER, tokens: user('carl', { tenant: 'globex' }) }, async ({ frame }) => {
    await openMenu(frame);
    assert.equal(await frame.locator('li[data-view-id]').count(), 0);
    assert.notEqual((await status(frame)).state, 'error');
  });
});

viewsTest('views: a version conflict offers to reload theirs or save mine as a copy', async (t) => {
  const name = `Conflict ${Date.now()}`;
  await withPortal(t, browser, { params: SAVED, tokens: user('dora') }, async ({ frame: laptop }) => {
    await saveView(laptop, name, 'private');
    // The same user on another device renames it meanwhile.
    await withPortal(t, browser, { params: OTHER, tokens: user('dora') }, async ({ frame: desktop }) => {
      await openMenu(desktop);
      const r = row(desktop, name);
      await r.locator('[data-action="rename-view"]').click();
      await r.locator('input[name="rename-view"]').fill(`${name} (desktop)`);
      await r.locator('[data-action="confirm-rename"]').click();
      await row(desktop, `${name} (desktop)`).waitFor();
    });
    // The laptop still holds the old version: its update is refused.
    await row(laptop, name).locator('[data-action="update-view"]').click();
    const conflict = laptop.locator('[data-role="view-conflict"]');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /Someone else changed/);
    await conflict.locator('[data-action="save-copy"]').click();
    await row(laptop, `${name} (copy)`).waitFor();
    assert.equal((await status(laptop)).state, 'ok');

    // Again, and this time take their version.
    await withPortal(t, browser, { params: OTHER, tokens: user('dora') }, async ({ frame: desktop }) => {
      await openMenu(desktop);
      const r = row(desktop, `${name} (desktop)`);
      await r.locator('[data-action="rename-view"]').click();
      await r.locator('input[name="rename-view"]').fill(`${name} (desktop 2)`);
      await r.locator('[data-action="confirm-rename"]').click();
      await row(desktop, `${name} (desktop 2)`).waitFor();
    });
    await row(laptop, name).locator('[data-action="update-view"]').click();
    await conflict.waitFor();
    await conflict.locator('[data-action="reload-view"]').click();
    await row(laptop, `${name} (desktop 2)`).waitFor();
    assert.equal(await conflict.count(), 0);
  });
});

viewsTest('views: my default view opens when the URL has no parameters', async (t) => {
  const name = `Default ${Date.now()}`;
  await withPortal(t, browser, { params: SAVED, tokens: user('eve') }, async ({ frame }) => {
    await saveView(frame, name, 'private');
    await row(frame, name).locator('[data-action="set-default-view"]').click();
    await frame.locator(`li[data-default="true"][data-view-name="${name}"]`).waitFor();
  });
  await withPortal(t, browser, { params: {}, tokens: user('eve') }, async ({ frame }) => {
    await frame.waitForFunction(() => new URL(location.href).searchParams.get('tz') === 'Europe/Berlin');
    assert.equal(await param(frame, 'panels'), 'interactions');
  });
});
