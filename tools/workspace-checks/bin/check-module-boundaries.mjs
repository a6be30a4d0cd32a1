#!/usr/bin/env node
// Enforces the workspace's module boundaries (nx project tags) on production sources:
// no deep import into another package (`@fedkit/x/dist/...`), and a project imports only
// projects whose tags its own tags allow (rules in ../module-boundaries.json).
// Exit 1 with one line per violation. `checkModuleBoundaries(root)` is exported for tests.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+['"](@fedkit\/[^'"]+)['"]|import\(\s*['"](@fedkit\/[^'"]+)['"]\s*\)/g;

function sources(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry !== 'testing') sources(full, out);
    } else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts') && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The workspace's projects: name, directory, tags. */
export function projects(root) {
  const found = [];
  for (const group of ['packages', 'apps', 'tools']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkgPath = join(dir, name, 'package.json');
      if (!existsSync(pkgPath)) continue;
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
      found.push({ name: pkg.name, dir: join(dir, name), tags: pkg.nx?.tags ?? [] });
    }
  }
  return found;
}

/** Every violation in the workspace at `root`, as readable lines. */
export function checkModuleBoundaries(root, rules) {
  const all = projects(root);
  const byName = new Map(all.map((p) => [p.name, p]));
  const problems = [];
  for (const p of all) {
    if (p.tags.length === 0) {
      problems.push(`${p.name}: has no nx tags; add "nx": { "tags": ["type:..."] } to its package.json (see module-boundaries.json)`);
      continue;
    }
    const allowed = new Set(p.tags.flatMap((t) => rules.allow[t] ?? []));
    for (const file of sources(join(p.dir, 'src'))) {
      // Comments (TSDoc examples) may show imports that the code does not make.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        const [scope, pkgName, ...deep] = spec.split('/');
        const target = `${scope}/${pkgName}`;
        const where = `${relative(root, file)}`;
        if (deep.length > 0) problems.push(`${where}: deep import "${spec}"; import "${target}" (its src/index.ts is its public API)`);
        if (target === p.name) continue;
        const t = byName.get(target);
        if (t === undefined) continue;
        const ok = allowed.has('*') || t.tags.some((tag) => allowed.has(tag));
        if (!ok) {
          problems.push(`${where}: ${p.name} [${p.tags.join(', ')}] may not import ${target} [${t.tags.join(', ')}]; allowed: ${[...allowed].join(', ') || 'nothing'}`);
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const rules = JSON.parse(readFileSync(join(here, '..', 'module-boundaries.json'), 'utf8'));
  const root = resolve(here, '../../..');
  const problems = checkModuleBoundaries(root, rules);
  if (problems.length > 0) {
    process.stderr.write(`Module boundaries violated:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`module boundaries: ${projects(root).length} projects checked, no violation\n`);
}
