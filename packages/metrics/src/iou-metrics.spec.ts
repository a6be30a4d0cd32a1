import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU } from './iou-metrics.js';
import { feed } from './testing/measure.js';

// Expected values from keras/src/metrics/iou_metrics_test.py (test class and name in each title).

describe('IoU metrics (IoUTest, BinaryIoUTest, MeanIoUTest, OneHotIoUTest, OneHotMeanIoUTest)', () => {
  it('IoUTest.test_unweighted and test_weighted', () => {
    expect(feed(new IoU({ numClasses: 2, targetClassIds: [0, 1] }), [[[0, 0, 1, 1], [0, 1, 0, 1]]]).result()).toBeCloseTo(1 / 3, 3);
    const weighted = feed(new IoU({ numClasses: 2, targetClassIds: [1, 0] }), [[[0, 0, 1, 1], [0, 1, 0, 1], [0.2, 0.3, 0.4, 0.1]]]);
    expect(weighted.result()).toBeCloseTo((0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2, 3);
  });

  it('BinaryIoUTest.test_different_thresholds_weighted and _unweighted', () => {
    const y = [0, 1, 0, 1];
    const p = [0.1, 0.2, 0.4, 0.7];
    expect(feed(new BinaryIoU({ threshold: 0.3 }), [[y, p, [0.2, 0.3, 0.4, 0.1]]]).result()).toBeCloseTo((0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2, 3);
    expect(feed(new BinaryIoU({ threshold: 0.5 }), [[y, p, [0.1, 0.2, 0.4, 0.3]]]).result()).toBeCloseTo((0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2, 3);
    expect(feed(new BinaryIoU({ threshold: 0.3 }), [[y, p]]).result()).toBeCloseTo(1 / 3, 3);
    expect(feed(new BinaryIoU({ threshold: 0.5 }), [[y, p]]).result()).toBeCloseTo((2 / 3 + 1 / 2) / 2, 3);
  });

  it('MeanIoUTest: test_unweighted, test_unweighted_ignore_class_255, test_weighted, test_weighted_ignore_class_1', () => {
    expect(feed(new MeanIoU({ numClasses: 2 }), [[[0, 0, 1, 1], [0, 1, 0, 1]]]).result()).toBeCloseTo(1 / 3, 3);
    expect(feed(new MeanIoU({ numClasses: 3, ignoreClass: 255 }), [[[0, 1, 2, 255], [0, 1, 1, 1]]]).result()).toBeCloseTo((1 + 1 / 2 + 0) / 3, 3);
    const w = [0.2, 0.3, 0.4, 0.1];
    expect(feed(new MeanIoU({ numClasses: 2 }), [[[0, 0, 1, 1], [0, 1, 0, 1], w]]).result()).toBeCloseTo((0.2 / 0.9 + 0.1 / 0.8) / 2, 3);
    expect(feed(new MeanIoU({ numClasses: 2, ignoreClass: -1 }), [[[0, 0, 1, -1], [0, 1, 0, 1], w]]).result()).toBeCloseTo((0.2 / 0.9 + 0) / 2, 3);
  });

  const yOneHot = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]];
  const pScores = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]];

  it('OneHotIoUTest.test_unweighted and test_weighted', () => {
    expect(feed(new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }), [[yOneHot, pScores]]).result()).toBeCloseTo((0 + 1 / 3) / 2, 3);
    const weighted = feed(new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }), [[yOneHot, pScores, [0.1, 0.2, 0.3, 0.4]]]);
    expect(weighted.result()).toBeCloseTo((0 + 0.1 / (0.7 + 0.1 - 0.1)) / 2, 3);
  });

  it('OneHotMeanIoUTest.test_unweighted: (0 + 0 + 1/3) / 3', () => {
    expect(feed(new OneHotMeanIoU({ numClasses: 3 }), [[yOneHot, pScores]]).result()).toBeCloseTo(1 / 9, 3);
  });

  it('rejects a target class outside [0, numClasses)', () => {
    expect(() => new IoU({ numClasses: 2, targetClassIds: [2] })).toThrow(ValueError);
  });
});

