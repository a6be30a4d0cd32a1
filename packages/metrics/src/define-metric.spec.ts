import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, METRIC_PLUGIN, pluginNames, registerPlugin, resolveMetric, sumThenFinalize } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { defineMetric } from './define-metric.js';
import { registerMetrics } from './register-metrics.js';

const within = () =>
  defineMetric('within_tolerance', (y, p, { tolerance }) => tf.lessEqual(tf.abs(tf.sub(y, p)), tolerance as number), {
    requiredConfigKeys: ['tolerance'],
  });

describe('defineMetric', () => {
  it('makes a weighted-mean metric plugin resolvable by name in a child container only', () => {
    const parent = registerMetrics(createFedkitContainer());
    const child = createFedkitContainer(parent);
    registerPlugin(child, METRIC_PLUGIN, within());
    expect(pluginNames(parent, METRIC_PLUGIN)).not.toContain('within_tolerance');
    expect(pluginNames(child, METRIC_PLUGIN)).toContain('accuracy');

    const m = resolveMetric(child, 'within_tolerance', { tolerance: 0.5 });
    const y = tf.tensor1d([1, 2, 3]);
    const p = tf.tensor1d([1.2, 3, 3.4]);
    const w = tf.tensor1d([1, 1, 2]);
    m.updateState(y, p, w);
    // |0.2| yes (1), |1| no (1), |0.4| yes (2) -> 3 / 4
    expect(m.result()).toBeCloseTo(0.75, 6);
    expect(m.name).toBe('within_tolerance');
    expect(m.unfinalizedState()).toEqual([3, 4]);
    tf.dispose([y, p, w]);
  });

  it('throws a TypeError when created or rebuilt without a required config key', () => {
    const plugin = within();
    expect(() => plugin.create()).toThrow(TypeError);
    expect(() => plugin.create({})).toThrow(/missing "tolerance"/);
    expect(() => plugin.metricClass.fromConfig({ name: 'within_tolerance' })).toThrow(TypeError);
  });

  it('rebuilds a metric at the server from its config, which sums across clients', () => {
    const plugin = within();
    const a = plugin.create({ tolerance: 0.5, name: 'close' });
    const b = plugin.create({ tolerance: 0.5, name: 'close' });
    const ya = tf.tensor1d([0, 0]);
    const pa = tf.tensor1d([0.1, 2]);
    const yb = tf.tensor1d([0]);
    const pb = tf.tensor1d([0.3]);
    a.updateState(ya, pa);
    b.updateState(yb, pb);
    const server = plugin.metricClass.fromConfig(a.getConfig());
    expect(server.getConfig()).toEqual({ name: 'close', tolerance: 0.5 });
    // client a: 1 of 2 within, client b: 1 of 1 -> 2 / 3
    const out = sumThenFinalize({ close: (s) => server.finalize(s) }, [{ close: a.unfinalizedState() }, { close: b.unfinalizedState() }]);
    expect(out['close']).toBeCloseTo(2 / 3, 6);
    tf.dispose([ya, pa, yb, pb]);
  });

  it('rejects unknown config keys when configKeys is declared', () => {
    const plugin = defineMetric('scaled_error', (y, p, { scale }) => tf.mul(tf.abs(tf.sub(y, p)), (scale as number | undefined) ?? 1), {
      configKeys: ['scale'],
    });
    expect(() => plugin.create({ scael: 2 })).toThrow(/unknown option "scael"/);
    expect(plugin.create({ scale: 2 }).getConfig()).toEqual({ name: 'scaled_error', scale: 2 });
  });
});
