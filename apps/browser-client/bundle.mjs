// Bundles the page (src/page.ts, built to dist/page.js) for browsers with esbuild, and copies index.html and tfjs's wasm binaries.
import { copyFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/page.js'],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  outfile: 'dist/www/page.js',
  logLevel: 'warning',
});
copyFileSync('src/index.html', 'dist/www/index.html');
// The wasm backend fetches its binaries next to the page (setWasmPaths in page.ts).
const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join('dist/www', f));
