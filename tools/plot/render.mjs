// Renders a Vega-Lite specification (JSON, as `tpe roofline --vega` writes it) to a
// static SVG without a browser: vega-lite compiles it to Vega, a headless Vega view
// (renderer none) draws it as SVG text. Usage: node tools/plot/render.mjs SPEC.json OUT.svg
// The SVG opens with a comment naming the specification it was made from. Errors: one
// line on stderr, exit status 1; OUT is written through a temporary file and renamed.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { readFileSync, writeFileSync, renameSync } from 'fs';
import { basename } from 'path';

const [spec_path, out_path] = process.argv.slice(2);
if (!spec_path || !out_path) {
  console.error('usage: node tools/plot/render.mjs SPEC.json OUT.svg');
  process.exit(2);
}
try {
  const spec = JSON.parse(readFileSync(spec_path, 'utf8'));
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  const head = `<!-- Generated from ${basename(spec_path)} by tools/plot/render.mjs ` +
               `(${spec.description || 'tpe'}); do not edit by hand. -->\n`;
  const tmp = out_path + '.tmp' + process.pid;
  writeFileSync(tmp, head + svg + '\n');
  renameSync(tmp, out_path);
} catch (e) {
  console.error(`${spec_path}: ${e.message}`);
  process.exit(1);
}
