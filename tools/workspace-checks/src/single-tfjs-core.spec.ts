import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every installed copy of `name` under `dir`'s node_modules trees, nested ones included. */
function findCopies(dir: string, name: string, found: string[] = []): string[] {
  const nm = join(dir, 'node_modules');
  let entries: string[];
  try {
    entries = readdirSync(nm);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const full = join(nm, entry);
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(full)) {
        const pkg = join(full, sub);
        if (`${entry}/${sub}` === name) found.push(pkg);
        if (lstatSync(pkg).isDirectory()) findCopies(pkg, name, found);
      }
    } else if (lstatSync(full).isDirectory()) {
      if (entry === name) found.push(full);
      findCopies(full, name, found);
    }
  }
  return found;
}

describe('workspace dependency tree', () => {
  it('resolves exactly one @tensorflow/tfjs-core, so every package shares one engine', () => {
    // Two copies would each keep their own backend registry and variables: a model built with one
    // copy would be invisible to kernels registered with the other.
    const copies = findCopies(root, '@tensorflow/tfjs-core');
    for (const dir of ['packages', 'apps']) {
      for (const pkg of readdirSync(join(root, dir))) findCopies(join(root, dir, pkg), '@tensorflow/tfjs-core', copies);
    }
    const versions = copies.map((c) => `${c}@${JSON.parse(readFileSync(join(c, 'package.json'), 'utf8')).version}`);
    expect(versions).toHaveLength(1);
  });

  it('declares tfjs as a peer dependency of every library package, never as a plain dependency', () => {
    for (const pkg of readdirSync(join(root, 'packages'))) {
      const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
      expect(json.dependencies?.['@tensorflow/tfjs'], `${pkg} must not bundle its own tfjs`).toBeUndefined();
      expect(json.peerDependencies?.['@tensorflow/tfjs'], `${pkg} must take tfjs as a peer`).toBeDefined();
    }
  });
});
