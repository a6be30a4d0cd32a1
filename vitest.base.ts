import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings for every workspace project. `reflect-metadata` must be
 * loaded before tsyringe in each isolated test file, hence the setup file.
 */
export const baseTestConfig = defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
