import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { BinaryAccuracy } from './accuracy-metrics.js';
import { Metric } from './metric.js';
import { BUILT_IN_METRICS } from './register-metrics.js';

describe('getConfig / fromConfig', () => {
  it('rebuilds every built-in metric so that it finalizes a state identically', () => {
    for (const [MetricClass] of BUILT_IN_METRICS) {
      const original = new MetricClass({ name: 'custom_name' });
      const rebuilt = MetricClass.fromConfig(original.getConfig());
      expect(rebuilt.name).toBe('custom_name');
      expect(rebuilt.getConfig()).toEqual(original.getConfig());
      const state = original.unfinalizedState().map((_, i) => i + 1);
      expect(rebuilt.finalize(state)).toBe(original.finalize(state));
    }
  });

  it('keeps constructor options such as the threshold', () => {
    const rebuilt = BinaryAccuracy.fromConfig(new BinaryAccuracy({ threshold: 0.7 }).getConfig());
    expect(rebuilt.threshold).toBe(0.7);
  });

  it('throws a TypeError when a custom metric config misses a constructor argument', () => {
    class ScaledSum extends Metric {
      static readonly requiredConfigKeys = ['scale'];
      private readonly scale: number;
      private readonly total = this.addWeight('total');
      constructor(config: { scale?: number; name?: string }) {
        super('scaled_sum', config);
        this.scale = config.scale as number;
      }
      updateState(y: tf.Tensor): void {
        tf.tidy(() => this.accumulate(this.total, tf.sum(y)));
      }
      finalize(state: number[]): number {
        return state[0]! * this.scale;
      }
      // Forgets `scale`: a server rebuilding the metric from this config would finalize to NaN.
      override getConfig(): Record<string, unknown> {
        return { name: this.name };
      }
    }
    const config = new ScaledSum({ scale: 2 }).getConfig();
    expect(() => ScaledSum.fromConfig(config)).toThrow(TypeError);
    expect(() => ScaledSum.fromConfig(config)).toThrow(/missing "scale"/);
  });
});
