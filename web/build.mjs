// Builds the dashboard into dist/: one bundle of the ES modules in src/ (ECharts included,
// tree-shaken), named by content hash so the server can let browsers cache them for a year,
// an index.html that names them, and a copy of docs/openapi.json (served at
// /api/v1/openapi.json). Deterministic: the same sources give the same files.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src/main.js')],
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome100', 'firefox100'],
  legalComments: 'eof',
  write: false,
  outdir: 'out',
});
const hashed = (name, ext, text) => {
  const h = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const file = `assets/${name}-${h}.${ext}`;
  writeFileSync(join(dist, file), text);
  return file;
};
const js = hashed('app', 'js', result.outputFiles[0].text);
const css = hashed('app', 'css', readFileSync(join(here, 'src/style.css'), 'utf8'));
const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('%APP_JS%', `/${js}`)
  .replace('%APP_CSS%', `/${css}`);
writeFileSync(join(dist, 'index.html'), html);
copyFileSync(join(here, 'src/favicon.svg'), join(dist, 'favicon.svg'));
copyFileSync(join(here, '../docs/openapi.json'), join(dist, 'openapi.json'));
console.log(`built ${js} (${result.outputFiles[0].text.length} bytes), ${css}`);
