import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity } from './sensitivity-specificity-metrics.js';
import { feed } from './testing/measure.js';

// Expected values from keras/src/metrics/confusion_metrics_test.py (test class and name in each title).

describe('metrics at a fixed operating point', () => {
  const hiP = [0.0, 0.1, 0.2, 0.3, 0.4, 0.1, 0.45, 0.5, 0.8, 0.9];
  const lowP = [0.0, 0.1, 0.2, 0.3, 0.4, 0.01, 0.02, 0.25, 0.26, 0.26];
  const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const oneHotClass2 = labels.map((l) => (l === 1 ? [0, 0, 1] : [1, 0, 0]));
  const tripled = (p: number[]) => p.map((v) => [v, v, v]);

  it('test_unweighted_all_correct: 1 for all four', () => {
    const y = [0, 1, 1, 0, 1, 0, 0, 1];
    for (const m of [
      new SensitivityAtSpecificity({ specificity: 0.7 }),
      new SpecificityAtSensitivity({ sensitivity: 0.7 }),
      new PrecisionAtRecall({ recall: 0.7 }),
      new RecallAtPrecision({ precision: 0.7 }),
    ]) {
      expect(feed(m, [[y, y]]).result(), m.name).toBeCloseTo(1, 6);
      m.dispose();
    }
  });

  it('SensitivityAtSpecificityTest: high 0.8, low 0.6, weighted 0.675', () => {
    expect(feed(new SensitivityAtSpecificity({ specificity: 0.8 }), [[labels, hiP]]).result()).toBeCloseTo(0.8, 6);
    expect(feed(new SensitivityAtSpecificity({ specificity: 0.4 }), [[labels, lowP]]).result()).toBeCloseTo(0.6, 6);
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(feed(new SensitivityAtSpecificity({ specificity: 0.4 }), [[labels, lowP, w]]).result()).toBeCloseTo(0.675, 6);
  });

  it('SpecificityAtSensitivityTest: high (1.0) 0.2, low (0.4) 0.6, class_id 0.6, weighted 0.4', () => {
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 1 }), [[labels, lowP]]).result()).toBeCloseTo(0.2, 6);
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 0.4 }), [[labels, lowP]]).result()).toBeCloseTo(0.6, 6);
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 0.4, classId: 2 }), [[oneHotClass2, tripled(lowP)]]).result()).toBeCloseTo(0.6, 6);
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(feed(new SpecificityAtSensitivity({ sensitivity: 0.4 }), [[labels, lowP, w]]).result()).toBeCloseTo(0.4, 6);
  });

  it('PrecisionAtRecallTest: high 2/3, low 0.75, class_id 0.75, weighted 0.7', () => {
    const p = [0.0, 0.1, 0.2, 0.5, 0.6, 0.2, 0.5, 0.6, 0.8, 0.9];
    expect(feed(new PrecisionAtRecall({ recall: 0.8 }), [[labels, p]]).result()).toBeCloseTo(2 / 3, 6);
    expect(feed(new PrecisionAtRecall({ recall: 0.6 }), [[labels, p]]).result()).toBeCloseTo(0.75, 6);
    expect(feed(new PrecisionAtRecall({ recall: 0.6, classId: 2 }), [[oneHotClass2, tripled(p)]]).result()).toBeCloseTo(0.75, 6);
    expect(feed(new PrecisionAtRecall({ recall: 7 / 8 }), [[labels, p, [2, 1, 2, 1, 2, 1, 2, 2, 1, 2]]]).result()).toBeCloseTo(0.7, 6);
  });

  it('RecallAtPrecisionTest: high 0.5, low 5/6, weighted 0.6, unachievable 0', () => {
    const p = [0.05, 0.1, 0.2, 0.3, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.9, 0.95];
    const y = [0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1];
    expect(feed(new RecallAtPrecision({ precision: 0.75 }), [[y, p]]).result()).toBeCloseTo(0.5, 6);
    expect(feed(new RecallAtPrecision({ precision: 2 / 3 }), [[y, p]]).result()).toBeCloseTo(5 / 6, 6);
    const wp = [0.1, 0.2, 0.3, 0.5, 0.6, 0.9, 0.9];
    expect(feed(new RecallAtPrecision({ precision: 0.75 }), [[[0, 1, 0, 0, 0, 1, 1], wp, [1, 2, 1, 2, 1, 2, 1]]]).result()).toBeCloseTo(0.6, 6);
    expect(feed(new RecallAtPrecision({ precision: 2 / 3 }), [[[1, 1, 0, 0], [0.1, 0.2, 0.3, 0.9]]]).result()).toBeCloseTo(0, 6);
  });

  it('test_invalid_*: a target outside [0, 1] or numThresholds <= 0 throws', () => {
    expect(() => new SensitivityAtSpecificity({ specificity: -1 })).toThrow(ValueError);
    expect(() => new RecallAtPrecision({ precision: 0.4, numThresholds: -1 })).toThrow(ValueError);
  });
});

