// Bundles tools/echarts/entry.js (ECharts trimmed to what the dashboard draws) into
// target/echarts/echarts.min.js, the script index.html loads. Run by trunk's
// pre_build hook (Trunk.toml), so `trunk build`, `trunk serve`, `cargo xtask dev`
// and `cargo xtask test` all get it. The file is rewritten only when its content
// changes, so `trunk serve` does not rebuild in a loop.
import { build } from 'esbuild';
import { bundleOptions } from './options.mjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = path.join(root, 'target/echarts/echarts.min.js');

const result = await build({
  ...bundleOptions,
  entryPoints: [path.join(root, 'tools/echarts/entry.js')],
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const license = '/*! Apache ECharts 5.5.1 (Apache-2.0) and ZRender (BSD-3-Clause), trimmed build */\n';
const next = Buffer.concat([Buffer.from(license), Buffer.from(code)]);
const prev = await readFile(out).catch(() => null);
if (!prev || !prev.equals(next)) {
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, next);
}
