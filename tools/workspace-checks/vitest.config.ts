import { defineConfig, mergeConfig } from 'vitest/config';

import { baseTestConfig } from '../../vitest.base.ts';

// The pack smoke test installs every package from its tarball: minutes, not seconds.
export default mergeConfig(baseTestConfig, defineConfig({ test: { testTimeout: 600_000, hookTimeout: 120_000 } }));
