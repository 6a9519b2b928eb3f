// First-load size of a built dashboard: every file in DIST (index.html, the wasm,
// its JS glue, the ECharts bundle, CSS, config.json), brotli-compressed at the
// highest quality as a server would precompress them. Prints one line per file
// and the total, and exits 1 when the total is over the budget (KB = 1000 bytes).
//
//   node tools/size.mjs DIST [--budget-kb 350]
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const dist = args[0];
const i = args.indexOf('--budget-kb');
const budget = i >= 0 ? Number(args[i + 1]) : 350;
if (!dist) {
  console.error('usage: node tools/size.mjs DIST [--budget-kb N]');
  process.exit(2);
}

const rows = [];
for (const name of (await readdir(dist)).sort()) {
  const file = path.join(dist, name);
  if (!(await stat(file)).isFile() || name.endsWith('.map')) continue;
  const raw = await readFile(file);
  const br = zlib.brotliCompressSync(raw, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  }).length;
  rows.push({ name, raw: raw.length, br });
}
const kb = (n) => (n / 1000).toFixed(1).padStart(8);
console.log(`${'file'.padEnd(52)} ${'raw KB'.padStart(8)} ${'brotli KB'.padStart(9)}`);
for (const r of rows) console.log(`${r.name.padEnd(52)} ${kb(r.raw)} ${kb(r.br).padStart(9)}`);
const total = rows.reduce((s, r) => s + r.br, 0);
const rawTotal = rows.reduce((s, r) => s + r.raw, 0);
console.log(`${'total'.padEnd(52)} ${kb(rawTotal)} ${kb(total).padStart(9)}`);
if (total > budget * 1000) {
  console.log(`over the ${budget} KB brotli budget by ${((total - budget * 1000) / 1000).toFixed(1)} KB`);
  process.exit(1);
}
console.log(`within the ${budget} KB brotli budget`);
