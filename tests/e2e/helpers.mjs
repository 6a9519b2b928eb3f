// Shared helpers for the end-to-end tests (node:test + playwright-core).
//
// `cargo xtask test --e2e` builds the app, starts the mock API and serves copies of
// dist/ (each with its own config.json, on its own origin), then runs
// `node --test tests/e2e/` with these env vars:
//
//   DASHBOARD_URL            dashboard whose config points at MOCK_URL
//   DASHBOARD_FAULTY_URL     dashboard whose config points at FAULTY_MOCK_URL
//   DASHBOARD_BADCONFIG_URL  dashboard whose config.json lacks relayUrl
//   DASHBOARD_CSP_URL        the same build served with the strict Content-Security-Policy
//   DASHBOARD_EMBED_URL      dashboard whose config lists EMBED_HOST_URL in embedOrigins
//   EMBED_HOST_URL           the example portal page (examples/embed/) on a second origin
//   EMBED_FOREIGN_URL        a third origin, not allowed to talk to the dashboard
//   AUTH_DASHBOARD_URL       dashboard with "auth": "token" on the REAL relay with tenants (test_auth.rs)
//   PORTAL_URL               the test portal (tests/e2e/portal/) allowed to embed it
//   RELAY_URL                that relay: tenants acme and globex over MOCK_URL
//   AUTH_KEYS_DIR            the tenants' Ed25519 keys (NAME.pem, NAME.pub.pem), fresh per run
//   AUTH_ISSUER_ACME, AUTH_ISSUER_GLOBEX  their issuers (https://portal.NAME.test)
//   MOCK_URL                 mock Digital Engagement API (seed 42, no faults)
//   FAULTY_MOCK_URL          mock that answers Interactions with HTML 500 pages
//   PROVIDER_ID, PARTNER_ID  ids in the configs (1020, 1021)
//   CHROMIUM                 browser binary (default /usr/bin/chromium)
//   E2E_ARTIFACTS            where failing tests leave a screenshot and the page HTML
//   E2E_TIMEOUT_MS           how long to wait for a panel to settle (default 90000)
//
// Tests wait for state (data-state attributes), never for time: ECharts animates.

import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 90_000);

/** An env var the xtask sets; fail clearly when the tests are run by hand without it. */
export function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run the e2e tests with \`cargo xtask test --e2e\``);
  }
  return v.replace(/\/+$/, '');
}

export const PROVIDER_ID = process.env.PROVIDER_ID ?? '1020';
export const PARTNER_ID = process.env.PARTNER_ID ?? '1021';

// Chromium as root on a machine without outside network (see README "Development").
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Headless Chromium; playwright gives each launch a fresh, empty user-data-dir. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * One Chromium for a test file: launched before its first test, closed after its
 * last. Returns what `withPage` needs of it.
 */
export function sharedBrowser() {
  let browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });
  return { newContext: (options) => browser.newContext(options) };
}

/** `${base}/?k=v…` from an object of URL parameters (README, "URL parameters"). */
export function dashboardUrl(base, params = {}) {
  const u = new URL(base.replace(/\/?$/, '/'));
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}

/**
 * Open `url` in a fresh browser context and run `fn({ page, consoleErrors, pageErrors })`.
 * On failure, leaves `<test name>.png` and `.html` in E2E_ARTIFACTS, then rethrows.
 * `pageErrors` are uncaught exceptions (a Rust panic shows up there).
 */
export async function withPage(t, browser, url, fn, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e?.stack ?? e)));
  try {
    await page.goto(url, { waitUntil: 'load' });
    return await fn({ page, context, consoleErrors, pageErrors });
  } catch (err) {
    await saveArtifacts(t, page).catch(() => {});
    if (consoleErrors.length) err.message += `\nconsole errors:\n  ${consoleErrors.join('\n  ')}`;
    if (pageErrors.length) err.message += `\npage errors:\n  ${pageErrors.join('\n  ')}`;
    throw err;
  } finally {
    await context.close();
  }
}

async function saveArtifacts(t, page) {
  const dir = process.env.E2E_ARTIFACTS;
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, t.name.replace(/[^\w.-]+/g, '_').slice(0, 100));
  await page.screenshot({ path: `${base}.png`, fullPage: true });
  await writeFile(`${base}.html`, await page.content());
}

/** Locator of `section[data-panel="NAME"]`. */
export function panel(page, name) {
  return page.locator(`section[data-panel="${name}"]`);
}

/**
 * Wait until the panel exists and its data-state is no longer `loading`; returns the
 * state (`ready`, `empty`, `partial`, `error`).
 */
export async function waitForPanelSettled(page, name, timeout = TIMEOUT) {
  const handle = await page.waitForFunction(
    (n) => {
      const s = document.querySelector(`section[data-panel="${n}"]`)?.getAttribute('data-state');
      return s && s !== 'loading' ? s : false;
    },
    name,
    { timeout, polling: 100 },
  );
  return handle.jsonValue();
}

/** Like waitForPanelSettled, but fails (with the panel's text) unless the state is `want`. */
export async function expectPanelState(page, name, want, timeout = TIMEOUT) {
  const state = await waitForPanelSettled(page, name, timeout);
  if (state !== want) {
    const text = (await panel(page, name).innerText()).slice(0, 500);
    throw new Error(`panel ${name}: data-state="${state}", expected "${want}"; panel text:\n${text}`);
  }
}

/**
 * Show a chart panel's table view and read it (ui-hooks.md "Table view").
 * Returns { columns: [key], rows: [{ start, label, values: {key: string} }], totals: {key: string} }.
 * data-value strings are returned as-is so tests can check they are plain integers.
 */
export async function readPanelTable(page, name) {
  const section = panel(page, name);
  const table = section.locator('table');
  if (!(await table.count())) {
    await section.locator('[data-action="table"]').first().click();
  }
  await table.first().waitFor({ state: 'attached', timeout: TIMEOUT });
  return table.first().evaluate((t) => {
    const keyed = (root, sel) =>
      Object.fromEntries([...root.querySelectorAll(sel)].map((c) => [c.dataset.key, c.dataset.value]));
    return {
      columns: [...t.querySelectorAll('thead th[data-key]')].map((th) => th.dataset.key),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => {
        const th = tr.querySelector('th[scope="row"]');
        return {
          start: th?.dataset.start ?? null,
          label: th?.textContent?.trim() ?? null,
          values: keyed(tr, 'td[data-key]'),
        };
      }),
      totals: keyed(t, 'tfoot [data-key]'),
    };
  });
}

/**
 * The mock's answer without range limits or faults:
 * POST `${mockUrl}/__mock/truth/${endpoint}?providerId&partnerId` with `body`.
 */
export async function fetchTruth(mockUrl, endpoint, body) {
  const u = new URL(`${mockUrl}/__mock/truth/${endpoint}`);
  u.searchParams.set('providerId', PROVIDER_ID);
  u.searchParams.set('partnerId', PARTNER_ID);
  const res = await fetch(u, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`truth ${endpoint}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Count-response buckets as Map(start ms -> counts object). */
export function bucketsByStart(resp) {
  const m = new Map();
  for (const b of resp.buckets ?? []) {
    if (m.has(b.start)) throw new Error(`truth has bucket ${b.start} twice`);
    m.set(b.start, b.counts ?? {});
  }
  return m;
}

/** Parse a data-value that must be a plain non-negative integer. */
export function intValue(s, where) {
  if (typeof s !== 'string' || !/^\d+$/.test(s)) {
    throw new Error(`${where}: data-value ${JSON.stringify(s)} is not a plain integer`);
  }
  return Number(s);
}
