import * as tf from '@tensorflow/tfjs';

import type { RuntimePlugin } from './plugin-tokens.js';

/**
 * The tfjs cpu backend (pure JavaScript): always present, slowest, the last
 * fallback of {@link selectRuntime}.
 */
export class CpuRuntime implements RuntimePlugin {
  readonly name = 'cpu';
  readonly priority = 0;
  readonly device = 'cpu' as const;

  async isAvailable(): Promise<boolean> {
    return tf.findBackendFactory('cpu') !== null;
  }

  unavailableReason(): string | undefined {
    return tf.findBackendFactory('cpu') === null ? 'the tfjs cpu backend is not registered (is @tensorflow/tfjs installed?)' : undefined;
  }

  async activate(): Promise<void> {
    const ok = await tf.setBackend('cpu');
    if (!ok) throw new Error('tf.setBackend("cpu") returned false: the tfjs cpu backend failed to initialize.');
  }
}
