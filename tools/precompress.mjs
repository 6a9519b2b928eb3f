// Writes FILE.br (brotli, quality 11) beside every file of DIR, as a CDN serves a
// build: the first-chart benchmark's static server (xtask/src/serve.rs, tower-http's
// `precompressed_br`) then sends those to a browser that accepts br, so the
// benchmark transfers what users transfer. Existing .br files are rewritten.
//
//   node tools/precompress.mjs DIR
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tools/precompress.mjs DIR');
  process.exit(2);
}

async function files(d) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...(await files(p)));
    else if (e.isFile() && !e.name.endsWith('.br') && !e.name.endsWith('.map')) out.push(p);
  }
  return out;
}

let raw = 0;
let br = 0;
for (const f of await files(dir)) {
  const bytes = await readFile(f);
  const packed = zlib.brotliCompressSync(bytes, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  await writeFile(`${f}.br`, packed);
  raw += bytes.length;
  br += packed.length;
}
console.log(`precompressed ${dir}: ${(raw / 1000).toFixed(1)} KB -> ${(br / 1000).toFixed(1)} KB brotli`);
