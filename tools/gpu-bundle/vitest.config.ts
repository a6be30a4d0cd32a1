import { defineConfig } from 'vitest/config';

import { TEST_REPORTERS } from '../../vitest.base.ts';

// The bundle test builds a ~40 MB bundle (xz of the Node binary) and runs it: minutes on 2 busy cores, not seconds.
export default defineConfig({ test: { include: ['src/**/*.spec.ts'], testTimeout: 600_000, hookTimeout: 600_000, pool: 'forks', reporters: TEST_REPORTERS } });
