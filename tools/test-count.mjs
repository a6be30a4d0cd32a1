#!/usr/bin/env node
// The end of `npm test`: the total test count over every project, read from the vitest JSON reports
// (`.test-results/vitest.json`, see vitest.base.ts). nx restores them with a cached `test` target, so
// the count is there even when nx replays the whole run from its cache.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const totals = { projects: 0, tests: 0, passed: 0, failed: 0, skipped: 0 };
const missing = [];
// The workspaces of the root package.json: packages/*, apps/*, tools/* and examples.
const projects = ['packages', 'apps', 'tools'].flatMap((group) => readdirSync(join(root, group)).map((name) => `${group}/${name}`));
projects.push('examples');
for (const project of projects) {
  const dir = join(root, project);
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).scripts?.test === undefined) continue;
  const report = join(dir, '.test-results', 'vitest.json');
  if (!existsSync(report)) {
    missing.push(project);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  totals.projects += 1;
  totals.tests += r.numTotalTests;
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}

process.stdout.write(
  `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped (${totals.tests} in ${totals.projects} projects)\n`,
);
if (missing.length > 0) process.stdout.write(`no test report (tests not run here): ${missing.join(', ')}\n`);
