import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, METRIC_PLUGIN, pluginNames, registerPlugin, resolveMetric, ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { defineMetric } from './define-metric.js';
import { builtInMetricPlugins, registerMetrics } from './register-metrics.js';

describe('registerMetrics', () => {
  it('resolves snake_case names and aliases', () => {
    const c = registerMetrics(createFedkitContainer());
    expect(resolveMetric(c, 'sparse_categorical_accuracy').name).toBe('sparse_categorical_accuracy');
    expect(resolveMetric(c, 'acc').name).toBe('accuracy');
    expect(resolveMetric(c, 'top_k_categorical_accuracy', { k: 3 }).getConfig()).toMatchObject({ k: 3 });
  });

  it('throws a ValueError listing the registered names for an unknown name', () => {
    const c = registerMetrics(createFedkitContainer());
    expect(() => resolveMetric(c, 'acuracy')).toThrow(ValueError);
    expect(() => resolveMetric(c, 'acuracy')).toThrow(/Registered metrics: .*accuracy.*, auc/);
  });

  it('registers a custom metric made with defineMetric in a child container only', () => {
    const parent = registerMetrics(createFedkitContainer());
    const child = createFedkitContainer(parent);
    registerPlugin(child, METRIC_PLUGIN, defineMetric('within', (y, p, { tolerance }) => tf.lessEqual(tf.abs(tf.sub(y, p)), tolerance as number), { requiredConfigKeys: ['tolerance'] }));
    expect(pluginNames(parent, METRIC_PLUGIN)).not.toContain('within');
    const m = resolveMetric(child, 'within', { tolerance: 0.5 });
    const y = tf.tensor1d([1, 2, 3]);
    const p = tf.tensor1d([1.2, 3, 3.4]);
    m.updateState(y, p);
    // |0.2| yes, |1| no, |0.4| yes -> 2/3
    expect(m.result()).toBeCloseTo(2 / 3, 6);
    expect(() => resolveMetric(child, 'within')).toThrow(/needs config "tolerance"/);
    tf.dispose([y, p]);
  });

  it('leaves no tensor behind after 100 update/result/reset cycles of every metric', () => {
    const metrics = builtInMetricPlugins().map((plugin) => plugin.create());
    const y = tf.tensor2d([[0, 1], [1, 0]]);
    const p = tf.tensor2d([[0.3, 0.7], [0.6, 0.4]]);
    const sparse = tf.tensor1d([1, 0], 'int32');
    const w = tf.tensor1d([1, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      for (const m of metrics) {
        m.updateState(m.name.startsWith('sparse') ? sparse : y, p, w);
        m.result();
        m.resetState();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y, p, sparse, w]);
  });
});
