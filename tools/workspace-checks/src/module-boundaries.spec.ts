import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

// @ts-expect-error: a plain .mjs script, checked by running it
import { checkModuleBoundaries } from '../bin/check-module-boundaries.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const rules = { allow: { 'type:core': [], 'type:plugin': ['type:core'], 'type:app': ['*'] } };

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const pkg = (name: string, tags: string[]): string => JSON.stringify({ name, nx: { tags } });

describe('checkModuleBoundaries', () => {
  it('accepts a plugin that imports core, and an app that imports anything', () => {
    const root = workspace({
      'packages/core/package.json': pkg('@fedkit/core', ['type:core']),
      'packages/losses/package.json': pkg('@fedkit/losses', ['type:plugin']),
      'packages/losses/src/mse.ts': "import { ValueError } from '@fedkit/core';\n",
      'apps/sim/package.json': pkg('@fedkit/sim', ['type:app']),
      'apps/sim/src/cli.ts': "import { mse } from '@fedkit/losses';\nimport { x } from '@fedkit/core';\n",
    });
    expect(checkModuleBoundaries(root, rules)).toEqual([]);
  });

  it('refuses a plugin importing another plugin, naming the file, both tags and what is allowed', () => {
    const root = workspace({
      'packages/core/package.json': pkg('@fedkit/core', ['type:core']),
      'packages/metrics/package.json': pkg('@fedkit/metrics', ['type:plugin']),
      'packages/losses/package.json': pkg('@fedkit/losses', ['type:plugin']),
      'packages/losses/src/mse.ts': "export { Mean } from '@fedkit/metrics';\n",
      'packages/losses/src/mse.spec.ts': "import { Mean } from '@fedkit/metrics';\n",
    });
    expect(checkModuleBoundaries(root, rules)).toEqual([
      'packages/losses/src/mse.ts: @fedkit/losses [type:plugin] may not import @fedkit/metrics [type:plugin]; allowed: type:core',
    ]);
  });

  it('refuses deep imports and untagged projects; ignores imports shown in comments', () => {
    const root = workspace({
      'packages/core/package.json': pkg('@fedkit/core', ['type:core']),
      'packages/losses/package.json': pkg('@fedkit/losses', ['type:plugin']),
      'packages/losses/src/mse.ts': "/** import { a } from '@fedkit/sim'; */\nimport { b } from '@fedkit/core/dist/errors.js';\n",
      'packages/extra/package.json': JSON.stringify({ name: '@fedkit/extra' }),
    });
    const problems = (checkModuleBoundaries(root, rules) as string[]).sort();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^@fedkit\/extra: has no nx tags/);
    expect(problems[1]).toMatch(/^packages\/losses\/src\/mse\.ts: deep import "@fedkit\/core\/dist\/errors\.js"/);
  });

  it('finds no violation in this workspace', async () => {
    const { readFileSync } = await import('node:fs');
    const real = JSON.parse(readFileSync(join(here, '..', 'module-boundaries.json'), 'utf8'));
    expect(checkModuleBoundaries(resolve(here, '../../..'), real)).toEqual([]);
  });
});
