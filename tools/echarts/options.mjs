// How every ECharts bundle is built: the shipped one (build.mjs) and the size
// variants (variants.mjs) must be compared like for like.
export const bundleOptions = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  // ECharts' development warnings are behind this check; production drops them.
  define: { 'process.env.NODE_ENV': '"production"' },
  write: false,
};
