// Size of a built dashboard: every file in DIST (index.html, the wasm parts, their
// JS, the ECharts bundle, CSS, config.json), brotli-compressed at the highest
// quality as a server would precompress them. Prints one line per file, then two
// figures (KB = 1000 bytes):
//   - before the first chart: everything but the lazily loaded wasm chunks (the
//     `.wasm` files in `wasm-<hash>/` other than the main `app_bg.wasm`), i.e. what a
//     counts-only view fetches before it draws (src/app/lazy.rs says what waits);
//   - the total.
// Time-zone files (`tz/<Name>`, one per zone, 598) are not listed one by one: a
// visit fetches only the files of the zones it uses (src/app/zones.rs), usually
// one, the browser's. So "before the first chart" counts the largest single zone
// file (an honest upper bound for that one zone) and "total" counts that one file
// too, not all 598; one line prints how many there are and their sum.
// Exits 1 when the before-first-chart figure is over its budget, or the total
// over `--total-budget-kb` when given.
//
//   node tools/size.mjs DIST [--budget-kb 450] [--total-budget-kb N]
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const dist = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const budget = opt('--budget-kb', 450);
const totalBudget = opt('--total-budget-kb', Infinity);
if (!dist) {
  console.error('usage: node tools/size.mjs DIST [--budget-kb N] [--total-budget-kb N]');
  process.exit(2);
}

async function files(dir, prefix = '') {
  const out = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...(await files(path.join(dir, e.name), rel + '/')));
    else if (e.isFile() && !e.name.endsWith('.map')) out.push(rel);
  }
  return out;
}

export const isLazyChunk = (rel) => /^wasm-[^/]+\/.+\.wasm$/.test(rel) && !rel.endsWith('/app_bg.wasm');

export const isZoneFile = (rel) => rel.startsWith('tz/');

const rows = [];
const zones = [];
for (const name of await files(dist)) {
  const raw = await readFile(path.join(dist, name));
  const br = zlib.brotliCompressSync(raw, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }).length;
  (isZoneFile(name) ? zones : rows).push({ name, raw: raw.length, br, lazy: isLazyChunk(name) });
}
if (zones.length) {
  const largest = zones.reduce((a, b) => (b.br > a.br ? b : a));
  rows.push({ ...largest, name: `${largest.name} (largest of ${zones.length} zone files)` });
}
const kb = (n) => (n / 1000).toFixed(1).padStart(8);
const sum = (rs, k) => rs.reduce((s, r) => s + r[k], 0);
console.log(`${'file'.padEnd(60)} ${'raw KB'.padStart(8)} ${'brotli KB'.padStart(9)}`);
for (const r of rows) console.log(`${(r.name + (r.lazy ? ' (lazy)' : '')).padEnd(60)} ${kb(r.raw)} ${kb(r.br).padStart(9)}`);
const first = rows.filter((r) => !r.lazy);
const firstBr = sum(first, 'br');
const total = sum(rows, 'br');
console.log(`${'before the first chart'.padEnd(60)} ${kb(sum(first, 'raw'))} ${kb(firstBr).padStart(9)}`);
console.log(`${'lazy chunks'.padEnd(60)} ${kb(sum(rows, 'raw') - sum(first, 'raw'))} ${kb(total - firstBr).padStart(9)}`);
console.log(`${'total'.padEnd(60)} ${kb(sum(rows, 'raw'))} ${kb(total).padStart(9)}`);
if (zones.length) {
  const zsum = (k) => zones.reduce((s, r) => s + r[k], 0);
  console.log(
    `${`tz/: all ${zones.length} zone files (a visit fetches its zones' only: not counted)`.padEnd(60)} ${kb(zsum('raw'))} ${kb(zsum('br')).padStart(9)}`,
  );
}
let over = false;
if (firstBr > budget * 1000) {
  console.log(`before the first chart: over the ${budget} KB brotli budget by ${((firstBr - budget * 1000) / 1000).toFixed(1)} KB`);
  over = true;
} else console.log(`before the first chart: within the ${budget} KB brotli budget`);
if (total > totalBudget * 1000) {
  console.log(`total: over the ${totalBudget} KB brotli budget by ${((total - totalBudget * 1000) / 1000).toFixed(1)} KB`);
  over = true;
}
process.exit(over ? 1 : 0);
