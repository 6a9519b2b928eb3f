// Time to first chart (issue 14): the previous release build and the new one, in the
// same run, in headless Chromium with the network throttled to 10 Mbit/s and 40 ms
// round trip (CDP Network.emulateNetworkConditions) and the CPU slowed 4x
// (Emulation.setCPUThrottlingRate), every file brotli-compressed as a CDN sends it
// (xtask precompresses both builds). Each load is a first visit: a fresh browser
// context (no HTTP cache, no IndexedDB), a counts-only view (no explorer).
// Two times from navigation start, polled every animation frame: the first chart
// (a panel's chart canvas exists: ECharts creates it when the panel draws its first
// data) and every panel loaded (none `loading` any more, each with its chart).
// Builds alternate (old, new, old, new, ...) so machine load hits both alike; the
// medians and their ratio are printed; nothing is asserted.
//
// Usage: OLD_URL=http://127.0.0.1:A/ NEW_URL=http://127.0.0.1:B/ node tests/bench/first-chart.bench.mjs
//        (RUNS=5, CHROMIUM=/usr/bin/chromium). `cargo xtask bench --first-chart` sets them.

import { chromium } from 'playwright-core';

const OLD = (process.env.OLD_URL ?? '').replace(/\/+$/, '');
const NEW = (process.env.NEW_URL ?? '').replace(/\/+$/, '');
if (!OLD || !NEW) {
  console.error('OLD_URL and NEW_URL must be set (two served release builds)');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS ?? 5);
const PANEL_NAMES = ['interactions', 'intents', 'bot-access', 'bot-vs-agent', 'customer-endpoint'];
const PANELS = PANEL_NAMES.length;
const VIEW = `/?from=now-7d&to=now&tz=UTC&panels=${PANEL_NAMES.join(',')}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});

async function firstChart(base) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 40,
    downloadThroughput: (10 * 1_000_000) / 8,
    uploadThroughput: (10 * 1_000_000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  await page.goto(base + VIEW, { waitUntil: 'commit' });
  // First chart: a panel's chart has a canvas (ECharts makes it when the panel
  // draws its first data, in both builds alike).
  const first = await page.waitForFunction(
    () => (document.querySelector('section[data-panel] .chart canvas') ? performance.now() : false),
    null,
    { polling: 'raf', timeout: 120_000 },
  );
  const t = await first.jsonValue();
  const atChart = bytes;
  // Complete: every panel of the view has left `loading` (ready, empty, partial
  // or error) and shows a chart.
  const done = await page.waitForFunction(
    (n) => {
      const s = [...document.querySelectorAll('section[data-panel]')];
      return s.length >= n && s.every((x) => x.getAttribute('data-state') !== 'loading' && x.querySelector('canvas'))
        ? performance.now()
        : false;
    },
    PANELS,
    { polling: 'raf', timeout: 120_000 },
  );
  const all = await done.jsonValue();
  await context.close();
  return { t, all, kb: atChart / 1024 };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows = { old: [], new: [] };
await firstChart(OLD); // warm the servers and the disk cache
await firstChart(NEW);
for (let i = 0; i < RUNS; i++) {
  rows.old.push(await firstChart(OLD));
  rows.new.push(await firstChart(NEW));
}
await browser.close();

const fmt = (r, k) => `${median(r.map((x) => x[k])).toFixed(0).padStart(7)} ms  (runs: ${r.map((x) => x[k].toFixed(0)).join(', ')})`;
const ratio = (k) => (median(rows.new.map((x) => x[k])) / median(rows.old.map((x) => x[k]))).toFixed(2);
console.log(`median of ${RUNS} first visits, 10 Mbit/s, 40 ms RTT, CPU 4x slower, files brotli-compressed:`);
console.log('first chart drawn');
console.log(`  previous release  ${fmt(rows.old, 't')}; ~${median(rows.old.map((x) => x.kb)).toFixed(0)} KB on the wire by then`);
console.log(`  this build        ${fmt(rows.new, 't')}; ~${median(rows.new.map((x) => x.kb)).toFixed(0)} KB on the wire by then`);
console.log(`  ratio new / previous: ${ratio('t')}`);
console.log(`every panel loaded (${PANELS} panels)`);
console.log(`  previous release  ${fmt(rows.old, 'all')}`);
console.log(`  this build        ${fmt(rows.new, 'all')}`);
console.log(`  ratio new / previous: ${ratio('all')}`);
