#!/usr/bin/env node
// Every publishable package loads through both require() and import() on the running Node and both give
// the same module (Node >= 20.19 require()s ES modules). .ci/run runs it on Node 22; the pack smoke test
// checks the same from the npm pack tarballs on Node 20.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));
const failures = [];
let checked = 0;
for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(join(root, group))) {
    const file = join(root, group, dir, 'package.json');
    if (!existsSync(file)) continue;
    const { name, private: isPrivate } = JSON.parse(readFileSync(file, 'utf8'));
    if (isPrivate) continue;
    const esm = await import(name);
    const cjs = require(name);
    const keys = Object.keys(esm).filter((k) => k !== 'default');
    if (keys.length === 0 || !keys.every((k) => cjs[k] === esm[k])) failures.push(name);
    checked += 1;
  }
}
process.stdout.write(`entry points on Node ${process.versions.node}: ${checked - failures.length}/${checked} packages load the same module through require() and import()\n`);
if (failures.length > 0) {
  process.stderr.write(`require() and import() differ for: ${failures.join(', ')}\n`);
  process.exit(1);
}
