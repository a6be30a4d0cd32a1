import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the browser entry', () => {
  it('bundles for platform=browser with no Node built-in among its inputs', async () => {
    // Arrange: bundle the package by name, as a page's bundler would (the `browser` export condition).
    const entry = "import { connectClient, FedkitClient } from '@fedkit/client'; globalThis.x = [connectClient, FedkitClient];";

    // Act
    const result = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'js' }, bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });

    // Assert
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('dist/browser.js');
    expect(inputs).not.toContain('dist/index.js');
    expect(inputs.filter((p) => p.includes('node_modules/ws/'))).toEqual([]);
    // A Node built-in may only appear stubbed out by a package's browser map (esbuild marks it "(disabled):").
    const builtins = new Set(builtinModules);
    expect(inputs.filter((p) => p.startsWith('node:') || builtins.has(p))).toEqual([]);
  });
});
