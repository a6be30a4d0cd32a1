import { describe, expect, it } from 'vitest';

import { CategoricalHinge, Hinge, SquaredHinge } from './hinge-metrics.js';
import { feed } from './testing/measure.js';

// Expected values from keras/src/metrics/hinge_metrics_test.py (test class and name in each title).

describe('hinge metrics (hinge_metrics_test.py)', () => {
  const p = [[-0.3, 0.2, -0.1, 1.6], [-0.25, -1, 0.5, 0.6]];

  it('HingeTest: test_unweighted 0.506 (0/1 labels), test_weighted 0.493 (-1/1 labels)', () => {
    expect(feed(new Hinge(), [[[[0, 1, 0, 1], [0, 0, 1, 1]], p]]).result()).toBeCloseTo(0.506, 3);
    expect(feed(new Hinge(), [[[[-1, 1, -1, 1], [-1, -1, 1, 1]], p, [1.5, 2]]]).result()).toBeCloseTo(0.493, 3);
  });

  it('SquaredHingeTest: test_unweighted 0.364, test_weighted 0.347', () => {
    expect(feed(new SquaredHinge(), [[[[0, 1, 0, 1], [0, 0, 1, 1]], p]]).result()).toBeCloseTo(0.364, 3);
    expect(feed(new SquaredHinge(), [[[[-1, 1, -1, 1], [-1, -1, 1, 1]], p, [1.5, 2]]]).result()).toBeCloseTo(0.347, 3);
  });

  it('CategoricalHingeTest: test_unweighted and test_weighted 0.5', () => {
    const y = [[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]];
    const q = [[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]];
    expect(feed(new CategoricalHinge(), [[y, q]]).result()).toBeCloseTo(0.5, 5);
    expect(feed(new CategoricalHinge(), [[y, q, [1, 1.5, 2, 2.5]]]).result()).toBeCloseTo(0.5, 5);
  });
});
