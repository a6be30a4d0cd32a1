import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';

import { BinaryAccuracy, TopKCategoricalAccuracy } from './accuracy-metrics.js';
import { AUC } from './auc.js';
import { MeanMetricWrapper } from './mean-metric-wrapper.js';
import { Metric } from './metric.js';
import { BUILT_IN_METRICS } from './register-metrics.js';
import { KIND_OF, makeData, toTensors, requiredConfig } from './testing/data.js';

// Non-default constructor options, so that a config that dropped one would show.
const OPTIONS: Record<string, Record<string, unknown>> = {
  binary_accuracy: { threshold: 0.7 },
  top_k_categorical_accuracy: { k: 2 },
  sparse_top_k_categorical_accuracy: { k: 2 },
  binary_crossentropy: { labelSmoothing: 0.1 },
  categorical_crossentropy: { labelSmoothing: 0.1 },
  sparse_categorical_crossentropy: { fromLogits: true },
  precision: { thresholds: [0.3, 0.6] },
  recall: { thresholds: [0.3, 0.6] },
  auc: { numThresholds: 7, summationMethod: 'majoring', curve: 'PR' },
  true_positives: { thresholds: [0.3, 0.6] },
  sensitivity_at_specificity: { specificity: 0.3, numThresholds: 11 },
  recall_at_precision: { precision: 0.6, numThresholds: 11 },
  f1_score: { average: 'weighted', threshold: 0.4 },
  fbeta_score: { beta: 2, average: 'macro' },
  iou: { ignoreClass: 1 },
  binary_iou: { threshold: 0.3, targetClassIds: [1] },
  r2_score: { classAggregation: 'variance_weighted_average' },
  cosine_similarity: { axis: 1 },
};

describe('getConfig / fromConfig', () => {
  it('rebuilds every built-in metric, through JSON, so that it finalizes the same state identically', () => {
    const rng = seedrandom('config-round-trip');
    for (const [MetricClass, [name]] of BUILT_IN_METRICS) {
      const original = MetricClass.fromConfig({ name: `my_${name}`, ...requiredConfig(name), ...OPTIONS[name] });
      const config = JSON.parse(JSON.stringify(original.getConfig())) as Record<string, unknown>;
      const rebuilt = MetricClass.fromConfig(config);
      expect(rebuilt.name, name).toBe(`my_${name}`);
      expect(rebuilt.getConfig(), name).toEqual(original.getConfig());

      const kind = KIND_OF[name] ?? 'regression';
      const tensors = toTensors(kind, makeData(kind, 12, rng));
      original.updateState(...tensors);
      tf.dispose(tensors);
      expect(rebuilt.finalize(original.unfinalizedState()), name).toBe(original.result());
      original.dispose();
      rebuilt.dispose();
    }
  });

  it('keeps constructor options such as the threshold', () => {
    const rebuilt = BinaryAccuracy.fromConfig(new BinaryAccuracy({ threshold: 0.7 }).getConfig());
    expect(rebuilt.threshold).toBe(0.7);
    const auc = AUC.fromConfig(new AUC({ numThresholds: 7 }).getConfig());
    expect(auc.unfinalizedState()).toHaveLength(4 * 7);
  });

  it('throws a TypeError for a config key the class does not know (a typo)', () => {
    expect(() => TopKCategoricalAccuracy.fromConfig({ kk: 3 })).toThrow(TypeError);
    expect(() => TopKCategoricalAccuracy.fromConfig({ kk: 3 })).toThrow(/unknown option "kk"; it takes "name", "k"/);
  });

  it('constructors reject unknown option keys too, listing the valid ones (issue 15)', () => {
    // `new BinaryAccuracy({ treshold: 0.9 })` used to build a metric with the default 0.5.
    expect(() => new BinaryAccuracy({ treshold: 0.9 } as never)).toThrow(TypeError);
    expect(() => new BinaryAccuracy({ treshold: 0.9 } as never)).toThrow(/unknown option "treshold"; it takes "name", "threshold"/);
    const before = tf.memory().numTensors;
    for (const [MetricClass, [name]] of BUILT_IN_METRICS) {
      expect(() => new MetricClass({ notAnOption: 1 }), name).toThrow(/unknown option "notAnOption"/);
    }
    expect(tf.memory().numTensors).toBe(before);
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
    expect(() => ScaledSum.fromConfig(config)).toThrow(/Cannot build ScaledSum from its config: missing "scale"/);
    // With the key, it rebuilds: state [3] -> 6
    expect(ScaledSum.fromConfig({ ...config, scale: 2 }).finalize([3])).toBe(6);
  });

  it('rebuilds a plain MeanMetricWrapper from a config holding its function, and refuses one without', () => {
    const original = new MeanMetricWrapper((y, p) => tf.abs(tf.sub(y, p)), { name: 'abs_err' });
    const rebuilt = MeanMetricWrapper.fromConfig(original.getConfig());
    const y = tf.tensor1d([1, 2]);
    const p = tf.tensor1d([2, 5]);
    rebuilt.updateState(y, p);
    // |1 - 2| = 1, |2 - 5| = 3 -> 2
    expect(rebuilt.result()).toBe(2);
    expect(rebuilt.name).toBe('abs_err');
    expect(() => MeanMetricWrapper.fromConfig({ name: 'abs_err' })).toThrow(/needs a per-example function/);
    tf.dispose([y, p]);
  });
});

describe('Metric variables', () => {
  it('are tf.Variables, one tensor each, freed by dispose', () => {
    const before = tf.memory().numTensors;
    const m = new AUC({ numThresholds: 5 });
    expect(m.variables.every((v) => v instanceof tf.Variable)).toBe(true);
    // tp, tn, fp, fn
    expect(tf.memory().numTensors - before).toBe(4);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
