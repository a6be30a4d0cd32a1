import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { BUILT_IN_METRICS } from './register-metrics.js';
import { KIND_OF, makeData, toTensors, requiredConfig } from './testing/data.js';

describe('tensor memory', () => {
  it('is unchanged after 100 updateState/result/resetState cycles of every metric', () => {
    let seed = 7;
    const rng = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const [MetricClass, [name]] of BUILT_IN_METRICS) {
      const kind = KIND_OF[name] ?? 'regression';
      const inputs = toTensors(kind, makeData(kind, 8, rng));
      const metric = new MetricClass(requiredConfig(name));
      const before = tf.memory().numTensors;
      for (let i = 0; i < 100; i++) {
        metric.updateState(...inputs);
        metric.result();
        metric.resetState();
      }
      expect(tf.memory().numTensors, name).toBe(before);
      metric.dispose();
      tf.dispose(inputs);
    }
  });

  it('is unchanged after creating and disposing every metric', () => {
    const before = tf.memory().numTensors;
    for (const [MetricClass, [name]] of BUILT_IN_METRICS) new MetricClass(requiredConfig(name)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
