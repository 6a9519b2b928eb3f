// Time to first chart (issue 14): the previous release build and the new one, in the
// same run, in headless Chromium with the network throttled to 10 Mbit/s and 40 ms
// round trip (CDP Network.emulateNetworkConditions) and the CPU slowed 4x
// (Emulation.setCPUThrottlingRate), every file brotli-compressed as a CDN sends it
// (xtask precompresses both builds). Each load is a first visit: a fresh browser
// context (no HTTP cache, no IndexedDB), a counts-only view (no explorer).
// "First chart": from navigation start until a panel is `data-state="ready"` and
// its chart canvas has been painted (polled every animation frame).
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
const VIEW = '/?from=now-7d&to=now&tz=UTC&panels=interactions,intents,bot-access,bot-vs-agent,customer-endpoint';

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
  const ms = await page.waitForFunction(
    () => {
      for (const s of document.querySelectorAll('section[data-panel]')) {
        if (s.getAttribute('data-state') === 'ready' && s.querySelector('canvas')) return performance.now();
      }
      return false;
    },
    null,
    { polling: 'raf', timeout: 120_000 },
  );
  const t = await ms.jsonValue();
  const atChart = bytes;
  await context.close();
  return { t, kb: atChart / 1024 };
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

const fmt = (r) => `${median(r.map((x) => x.t)).toFixed(0).padStart(7)} ms  (runs: ${r.map((x) => x.t.toFixed(0)).join(', ')}; ~${median(r.map((x) => x.kb)).toFixed(0)} KB on the wire by then)`;
console.log(`time to first chart, median of ${RUNS} first visits, 10 Mbit/s, 40 ms RTT, CPU 4x slower:`);
console.log(`  previous release  ${fmt(rows.old)}`);
console.log(`  this build        ${fmt(rows.new)}`);
const ratio = median(rows.new.map((x) => x.t)) / median(rows.old.map((x) => x.t));
console.log(`  ratio new / previous: ${ratio.toFixed(2)}`);
