import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every workspace project. `reflect-metadata` must be
 * loaded before tsyringe in each isolated test file, hence the setup file.
 * Each run also writes a JSON report into `.test-results/` (an nx output of the
 * `test` target, so a cache replay restores it): `npm test` ends with
 * tools/test-count.mjs, which sums them.
 */
export const TEST_REPORTERS: ['default', ['json', { outputFile: string }]] = ['default', ['json', { outputFile: '.test-results/vitest.json' }]];

export const baseTestConfig = defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: TEST_REPORTERS,
  },
});
