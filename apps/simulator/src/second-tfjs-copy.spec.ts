import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createFedkitContainer } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { loadTask } from './load-task.js';
import { secondTfjsCopy } from './second-tfjs-copy.js';

/** A project outside the repository with its own (fake) @tensorflow/tfjs and a task module that must never be imported. */
function outsideProject(withTfjs: boolean): { dir: string; task: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'task-project-')));
  if (withTfjs) {
    const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs', version: '4.22.0', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), '');
  }
  const task = join(dir, 'my-task.mjs');
  writeFileSync(task, "throw new Error('the task module was imported');\n");
  return { dir, task };
}

describe('secondTfjsCopy', () => {
  it("names the task project's own @tensorflow/tfjs folder", () => {
    const { dir, task } = outsideProject(true);
    expect(secondTfjsCopy(task)).toBe(join(dir, 'node_modules', '@tensorflow', 'tfjs'));
  });

  it("is undefined for a task inside the simulator's project (the same copy) and for a folder without tfjs", () => {
    expect(secondTfjsCopy(fileURLToPath(new URL('../fixtures/tiny-task.mjs', import.meta.url)))).toBeUndefined();
    expect(secondTfjsCopy(outsideProject(false).task)).toBeUndefined();
  });
});

describe('loadTask with a task module that would load a second tfjs', () => {
  it('refuses before importing it, naming both copies and the fix', async () => {
    const { dir, task } = outsideProject(true);
    const loading = loadTask(createFedkitContainer(), task);
    await expect(loading).rejects.toThrow(/would load a second copy of @tensorflow\/tfjs/);
    await expect(loading).rejects.toThrow(join(dir, 'node_modules', '@tensorflow', 'tfjs'));
    await expect(loading).rejects.toThrow(/Fix: .*npm install @fedkit\/simulator/);
  });
});
