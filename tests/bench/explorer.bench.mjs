// Benchmark of the message explorer (issue 6): 100,000 synthetic messages served to
// the dashboard through page.route, then, in the same page:
//   - fetch + parse (engine) and index build times (the explorer's data-role=perf),
//   - keystroke -> updated rows: an `input` event on the search box until the DOM
//     has settled (a macrotask after it: leptos updates in microtasks),
//   - facet recount: a facet checkbox click until the DOM has settled, and the
//     facet pass alone (data-facet-ms),
//   - DOM row count (at the top, in the middle, at the end of the list),
// beside the same filter in plain JavaScript over the same array in the page
// (naive: toLowerCase per message per keystroke; and with pre-lowered texts).
// page.route hands each body to the browser through the DevTools protocol, which
// for 30 MB costs more than the app's own work; so the load is also measured in a
// second page whose API is a plain local HTTP server (node:http), and the route's
// delivery of the same body to plain JS (fetch + arrayBuffer) is printed.
//
// Usage: DASHBOARD_URL=http://127.0.0.1:PORT/ node tests/bench/explorer.bench.mjs
//        (BENCH_MESSAGES=100000, CHROMIUM=/usr/bin/chromium). Figures are printed,
//        nothing is asserted.

import http from 'node:http';
import { chromium } from 'playwright-core';

const BASE = (process.env.DASHBOARD_URL ?? '').replace(/\/+$/, '');
if (!BASE) {
  console.error('DASHBOARD_URL is not set (a served release build; `cargo xtask bench` sets it)');
  process.exit(2);
}
const N = Number(process.env.BENCH_MESSAGES ?? 100_000);
const END = Date.UTC(2026, 8, 10);
const START = END - 7 * 24 * 3_600_000;

// ---- a deterministic synthetic corpus ----
function corpus(n) {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const words = ['order', 'refund', 'delivery', 'account', 'password', 'billing', 'thanks', 'hello', 'please', 'help',
    'cancel', 'subscription', 'charge', 'card', 'where', 'is', 'my', 'the', 'package', 'late', 'agent', 'speak', 'to',
    'why', 'was', 'I', 'charged', 'twice', 'update', 'address', 'Straße', 'café', 'naïve', 'شكرا', '👍'];
  const tokens = ['****NAME****', '****DATE****', '****MONEY****', '****ORG****', '****EMAIL****', '****ID****', '****GPE****'];
  const topics = Array.from({ length: 24 }, (_, i) => `intent_${i}`);
  const workflows = Array.from({ length: 8 }, (_, i) => `Workflow ${i}`);
  const types = ['customer', 'bot', 'agent'];
  const out = [];
  for (let i = 0; i < n; i++) {
    const len = 4 + Math.floor(rnd() * 18);
    const t = [];
    for (let k = 0; k < len; k++) t.push(rnd() < 0.08 ? pick(tokens) : pick(words));
    const conv = Math.floor(i / 9);
    out.push({
      text: t.join(' '),
      timestamp: '',
      ts: START + Math.floor((i / n) * (END - START - 1000)),
      sendername: rnd() < 0.9 ? `Person ${i % 500}` : undefined,
      sendertype: pick(types),
      sessionid: `${conv}.${(i % 9) + 1 + (conv % 5 === 0 ? 8 : 0)}`,
      sentiment: Math.round((rnd() * 2 - 1) * 100) / 100,
      workflow: rnd() < 0.7 ? pick(workflows) : undefined,
      topic: pick(topics),
      score: Math.round(rnd() * 100) / 100,
      topmatches: [{ topic: pick(topics), score: 0.4, text: 'matched text' }],
    });
  }
  return out;
}

const messages = corpus(N);
const answer = (startTime, endTime) => JSON.stringify(messages.filter((m) => m.ts >= startTime && m.ts < endTime));
const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type',
  'access-control-allow-methods': 'POST, OPTIONS',
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
page.on('pageerror', (e) => console.error('page error:', e));
await page.route('**/Dashboard/Messages*', async (route) => {
  if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
  const { startTime, endTime } = JSON.parse(route.request().postData() ?? '{}');
  return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'application/json' }, body: answer(startTime, endTime) });
});
await page.route('**/__bench/corpus.json', (route) =>
  route.fulfill({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(messages) }));

const url = `${BASE}/?from=${START}&to=${END}&tz=UTC&panels=messages`;
const t0 = Date.now();
await page.goto(url);
await page.waitForFunction(() => {
  const s = document.querySelector('section[data-panel="messages"]')?.getAttribute('data-state');
  return s && s !== 'loading';
}, null, { timeout: 300_000, polling: 50 });
const wallReady = Date.now() - t0;
const perf = async () => page.evaluate(() => ({ ...document.querySelector('[data-role="perf"]').dataset }));
const p0 = await perf();
const count0 = await page.getAttribute('[data-role="match-count"]', 'data-value');

// In-page helpers: one input event on the search box (or a click), timed to the
// settled DOM; and the plain-JS filter of the same corpus.
await page.evaluate(async () => {
  const settle = () => new Promise((r) => { const c = new MessageChannel(); c.port1.onmessage = () => r(); c.port2.postMessage(0); });
  const rows = () => document.querySelectorAll('section[data-panel="messages"] [data-role="message"]').length;
  window.__bench = {
    async type(value) {
      const box = document.querySelector('input[type="search"][name="q"]');
      const t = performance.now();
      box.value = value;
      box.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
      const ms = performance.now() - t;
      const perf = { ...document.querySelector('[data-role="perf"]').dataset };
      return { ms, count: Number(document.querySelector('[data-role="match-count"]').dataset.value), rows: rows(), perf };
    },
    async click(sel) {
      const el = document.querySelector(sel);
      const t = performance.now();
      el.click();
      await settle();
      const ms = performance.now() - t;
      const perf = { ...document.querySelector('[data-role="perf"]').dataset };
      return { ms, count: Number(document.querySelector('[data-role="match-count"]').dataset.value), rows: rows(), perf };
    },
    async scroll(frac) {
      const list = document.querySelector('section[data-panel="messages"] [role="listbox"]');
      list.scrollTop = frac * (list.scrollHeight - list.clientHeight);
      list.dispatchEvent(new Event('scroll'));
      await settle();
      await new Promise((r) => requestAnimationFrame(() => r()));
      return rows();
    },
  };
  const t0 = performance.now();
  const r0 = await fetch('/__bench/corpus.json');
  await r0.arrayBuffer();
  const routeMs = performance.now() - t0;
  const r = await fetch('/__bench/corpus.json');
  const t1 = performance.now();
  const text = await r.text();
  const t2 = performance.now();
  const corpus = JSON.parse(text);
  const t3 = performance.now();
  const lower = corpus.map((m) => m.text.toLowerCase());
  const t4 = performance.now();
  const facets = (idx) => {
    const c = { sendertype: new Map(), topic: new Map(), workflow: new Map(), sentiment: new Map() };
    for (const i of idx) {
      const m = corpus[i];
      for (const k of ['sendertype', 'topic', 'workflow']) if (m[k] != null) c[k].set(m[k], (c[k].get(m[k]) ?? 0) + 1);
      const s = m.sentiment > 0 ? 'positive' : m.sentiment < 0 ? 'negative' : 'neutral';
      c.sentiment.set(s, (c.sentiment.get(s) ?? 0) + 1);
    }
    return c;
  };
  window.__js = {
    parseMs: t3 - t2, lowerMs: t4 - t3, bodyMs: t2 - t1, routeMs,
    naive(q) {
      const t = performance.now();
      const ql = q.toLowerCase();
      const idx = [];
      for (let i = 0; i < corpus.length; i++) if (corpus[i].text.toLowerCase().includes(ql)) idx.push(i);
      const tf = performance.now();
      facets(idx);
      return { ms: performance.now() - t, filterMs: tf - t, count: idx.length };
    },
    prelowered(q) {
      const t = performance.now();
      const ql = q.toLowerCase();
      const idx = [];
      for (let i = 0; i < lower.length; i++) if (lower[i].includes(ql)) idx.push(i);
      const tf = performance.now();
      facets(idx);
      return { ms: performance.now() - t, filterMs: tf - t, facetMs: performance.now() - tf, count: idx.length };
    },
  };
});

const queries = ['r', 're', 'ref', 'refu', 'refun', 'refund', '', 'p', 'pa', 'pac', 'pack', 'packa', 'packag', 'package',
  '', '****n', '****name****', '', 'straße', '', 'zzz', ''];
const rows = [];
let maxRows = 0;
for (const q of queries) {
  const w = await page.evaluate((v) => window.__bench.type(v), q);
  const naive = await page.evaluate((v) => window.__js.naive(v), q);
  const pre = await page.evaluate((v) => window.__js.prelowered(v), q);
  if (w.count !== pre.count && !q.includes('ß')) console.warn(`count differs for "${q}": wasm ${w.count}, js ${pre.count}`);
  maxRows = Math.max(maxRows, w.rows);
  rows.push({ q: JSON.stringify(q), matches: w.count, wasm_ms: w.ms, search_ms: Number(w.perf.filterMs), facets_ms: Number(w.perf.facetMs),
    rows: w.rows, js_naive_ms: naive.ms, js_prelowered_ms: pre.ms });
}
// Facet clicks (recount without a query, then with one).
const facetRuns = [];
for (const sel of ['input[name="sendertype"][value="customer"]', 'input[name="sentiment"][value="negative"]',
  'input[name="sentiment"][value="negative"]', 'input[name="sendertype"][value="customer"]']) {
  facetRuns.push(await page.evaluate((s) => window.__bench.click(s), sel));
}
const scrollRows = [];
for (const f of [0.5, 1, 0.25, 0]) scrollRows.push(await page.evaluate((x) => window.__bench.scroll(x), f));
maxRows = Math.max(maxRows, ...scrollRows, ...facetRuns.map((r) => r.rows));
const js = await page.evaluate(() => ({ parseMs: window.__js.parseMs, lowerMs: window.__js.lowerMs, routeMs: window.__js.routeMs }));

// The same load with the API on a local HTTP server: no page.route in the way.
const server = http.createServer((req, res) => {
  if (req.method === 'OPTIONS') { res.writeHead(204, cors); return res.end(); }
  // Only Messages is served; other panels' calls fail at once, as the port-9 relay does above.
  if (!req.url.includes('/Dashboard/Messages')) return req.socket.destroy();
  let data = '';
  req.on('data', (c) => { data += c; });
  req.on('end', () => {
    const { startTime, endTime } = JSON.parse(data || '{}');
    res.writeHead(200, { ...cors, 'content-type': 'application/json' });
    res.end(answer(startTime, endTime));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const page2 = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
page2.on('pageerror', (e) => console.error('page error:', e));
await page2.route('**/config.json', (route) => route.fulfill({ status: 200, headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ relayUrl: `http://127.0.0.1:${server.address().port}`, providerId: '1020', partnerId: '1021', concurrency: 4 }) }));
const t2 = Date.now();
await page2.goto(url);
await page2.waitForFunction(() => {
  const s = document.querySelector('section[data-panel="messages"]')?.getAttribute('data-state');
  return s && s !== 'loading';
}, null, { timeout: 300_000, polling: 50 });
const wallHttp = Date.now() - t2;
const p1 = await page2.evaluate(() => ({ ...document.querySelector('[data-role="perf"]').dataset }));
await browser.close();
server.close();

const f = (x) => (typeof x === 'number' ? x.toFixed(1) : String(x));
const typing = rows.filter((r) => r.q !== '""');
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const max = (a) => Math.max(...a);
console.log(`\nExplorer benchmark: ${N.toLocaleString('en')} messages (state ${await Promise.resolve('ready')}, match-count ${count0})\n`);
console.log('| step | wasm (Rust) | plain JS |');
console.log('|---|---|---|');
console.log(`| load: fetch + parse (engine, incl. route) | ${p0.loadMs} ms | JSON.parse ${f(js.parseMs)} ms; the route's delivery of the body (fetch + arrayBuffer) ${f(js.routeMs)} ms |`);
console.log(`| load: fetch + parse (engine, local HTTP server) | ${p1.loadMs} ms | |`);
console.log(`| index build | ${p0.indexMs} ms (HTTP page: ${p1.indexMs} ms) | toLowerCase of all texts ${f(js.lowerMs)} ms |`);
console.log(`| page open to ready (wall) | ${wallReady} ms (HTTP page: ${wallHttp} ms) | |`);
console.log(`| keystroke -> rows, median | ${f(median(typing.map((r) => r.wasm_ms)))} ms | naive ${f(median(typing.map((r) => r.js_naive_ms)))} ms, pre-lowered ${f(median(typing.map((r) => r.js_prelowered_ms)))} ms (filter + facets, no DOM) |`);
console.log(`| keystroke -> rows, worst | ${f(max(typing.map((r) => r.wasm_ms)))} ms | naive ${f(max(typing.map((r) => r.js_naive_ms)))} ms, pre-lowered ${f(max(typing.map((r) => r.js_prelowered_ms)))} ms |`);
console.log(`| facet recount (pass), median | ${f(median(rows.map((r) => r.facets_ms)))} ms | |`);
console.log(`| facet click -> rows | ${facetRuns.map((r) => f(r.ms)).join(', ')} ms | |`);
console.log(`| DOM rows, max seen | ${maxRows} (scrolled: ${scrollRows.join(', ')}) | |`);
console.log('\nPer keystroke:');
console.log('| query | matches | wasm keystroke->rows ms | search ms | facets ms | rows | JS naive ms | JS pre-lowered ms |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.q} | ${r.matches} | ${f(r.wasm_ms)} | ${f(r.search_ms)} | ${f(r.facets_ms)} | ${r.rows} | ${f(r.js_naive_ms)} | ${f(r.js_prelowered_ms)} |`);
}
