// Prints the brotli size of ECharts builds with fewer or more parts than the one we
// ship (entry.js), so the README's size figures can be re-measured:
//   node tools/echarts/variants.mjs
// Each variant is bundled with build.mjs's options (options.mjs).
import { build } from 'esbuild';
import { bundleOptions } from './options.mjs';
import zlib from 'node:zlib';

const brotliKb = (bytes) =>
  zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1000; // KB as tools/size.mjs counts them

const shipped = ['LineChart', 'BarChart', 'PieChart', 'GridComponent', 'TooltipComponent', 'LegendComponent', 'BrushComponent', 'CanvasRenderer'];
const variants = {
  'core + canvas, no chart': ['CanvasRenderer'],
  'line + grid': ['LineChart', 'GridComponent', 'CanvasRenderer'],
  'line, bar, pie + grid': ['LineChart', 'BarChart', 'PieChart', 'GridComponent', 'CanvasRenderer'],
  '... + tooltip, legend': ['LineChart', 'BarChart', 'PieChart', 'GridComponent', 'TooltipComponent', 'LegendComponent', 'CanvasRenderer'],
  'shipped (+ brush)': shipped,
  'shipped, SVG renderer instead': shipped.map((p) => (p === 'CanvasRenderer' ? 'SVGRenderer' : p)),
};
const folder = (part) => (part.endsWith('Chart') ? 'charts' : part.endsWith('Renderer') ? 'renderers' : 'components');

for (const [name, parts] of Object.entries(variants)) {
  const imports = parts.map((p) => `import { ${p} } from 'echarts/${folder(p)}';`).join('\n');
  const contents = `import * as echarts from 'echarts/core';\n${imports}\necharts.use([${parts.join(',')}]);\nglobalThis.echarts = echarts;`;
  const result = await build({ ...bundleOptions, stdin: { contents, resolveDir: process.cwd() }, logLevel: 'error' });
  console.log(`${name.padEnd(32)} ${brotliKb(result.outputFiles[0].contents).toFixed(1).padStart(6)} KB brotli`);
}
