import * as tf from '@tensorflow/tfjs';
import { sumThenFinalize } from '@fedkit/core';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';

import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './accuracy-metrics.js';
import { AUC } from './auc.js';
import { FalseNegatives, Precision, Recall } from './confusion-metrics.js';
import { F1Score, FBetaScore } from './f-score-metrics.js';
import { BinaryIoU, IoU } from './iou-metrics.js';
import { R2Score } from './regression-metrics.js';
import { PrecisionAtRecall, SpecificityAtSensitivity } from './sensitivity-specificity-metrics.js';
import type { Metric } from './metric.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from './probabilistic-metrics.js';
import { Reduce } from './reduce.js';
import { BUILT_IN_METRICS } from './register-metrics.js';
import { CLASSES, KIND_OF, makeData, slice, toTensors, type Data, type Kind, requiredConfig } from './testing/data.js';

interface Variant {
  label: string;
  kind: Kind;
  make: () => Metric;
}

// Every built-in with its defaults, plus non-default configurations.
const VARIANTS: Variant[] = [
  ...BUILT_IN_METRICS.map(([MetricClass, [name]]) => ({ label: name, kind: KIND_OF[name] ?? 'regression', make: () => new MetricClass(requiredConfig(name)) })),
  { label: 'top_k k=3', kind: 'onehot', make: () => new TopKCategoricalAccuracy({ k: 3 }) },
  { label: 'sparse_top_k k=2', kind: 'sparse', make: () => new SparseTopKCategoricalAccuracy({ k: 2 }) },
  { label: 'binary_crossentropy logits', kind: 'logits', make: () => new BinaryCrossentropy({ fromLogits: true }) },
  { label: 'binary_crossentropy smoothing', kind: 'binary', make: () => new BinaryCrossentropy({ labelSmoothing: 0.2 }) },
  { label: 'categorical_crossentropy logits', kind: 'logits', make: () => new CategoricalCrossentropy({ fromLogits: true }) },
  { label: 'sparse_categorical_crossentropy logits', kind: 'logits', make: () => new SparseCategoricalCrossentropy({ fromLogits: true }) },
  { label: 'precision 3 thresholds', kind: 'binary', make: () => new Precision({ thresholds: [0.3, 0.5, 0.8] }) },
  { label: 'recall 3 thresholds', kind: 'binary', make: () => new Recall({ thresholds: [0.3, 0.5, 0.8] }) },
  { label: 'auc 17 thresholds minoring', kind: 'binary', make: () => new AUC({ numThresholds: 17, summationMethod: 'minoring' }) },
  { label: 'reduce sum_over_batch_size', kind: 'values', make: () => new Reduce({ reduction: 'sum_over_batch_size' }) },
  { label: 'precision topK=2', kind: 'onehot', make: () => new Precision({ topK: 2 }) },
  { label: 'recall classId=1 thresholds', kind: 'onehot', make: () => new Recall({ classId: 1, thresholds: [0.1, 0.2] }) },
  { label: 'false_negatives 2 thresholds', kind: 'binary', make: () => new FalseNegatives({ thresholds: [0.2, 0.7] }) },
  { label: 'auc PR interpolation', kind: 'binary', make: () => new AUC({ curve: 'PR', numThresholds: 13 }) },
  { label: 'auc explicit thresholds from logits', kind: 'binary', make: () => new AUC({ thresholds: [0.55, 0.6, 0.7], fromLogits: true }) },
  { label: 'auc multi-label PR', kind: 'onehot', make: () => new AUC({ multiLabel: true, numLabels: CLASSES, curve: 'PR', numThresholds: 9 }) },
  { label: 'auc multi-label weighted labels', kind: 'onehot', make: () => new AUC({ multiLabel: true, numLabels: CLASSES, labelWeights: [1, 2, 3, 4, 5, 6, 7] }) },
  { label: 'precision_at_recall classId=2', kind: 'onehot', make: () => new PrecisionAtRecall({ recall: 0.4, classId: 2, numThresholds: 21 }) },
  { label: 'specificity_at_sensitivity', kind: 'binary', make: () => new SpecificityAtSensitivity({ sensitivity: 0.8 }) },
  { label: 'f1 micro threshold', kind: 'onehot', make: () => new F1Score({ average: 'micro', threshold: 0.2 }) },
  { label: 'fbeta weighted beta=0.5', kind: 'onehot', make: () => new FBetaScore({ average: 'weighted', beta: 0.5, numClasses: CLASSES }) },
  { label: 'iou ignoreClass=1', kind: 'equal', make: () => new IoU({ numClasses: 3, targetClassIds: [0, 1, 2], ignoreClass: 1 }) },
  { label: 'binary_iou threshold 0.3', kind: 'binary', make: () => new BinaryIoU({ threshold: 0.3 }) },
  { label: 'r2 adjusted per output', kind: 'regression', make: () => new R2Score({ numOutputs: 2, classAggregation: null, numRegressors: 1 }) },
];

function update(metric: Metric, kind: Kind, d: Data, flatLabels: boolean): void {
  if (d.y.length === 0) return;
  // logits data has integer labels; the categorical metric needs them one-hot.
  const tensors =
    kind === 'logits' && metric instanceof CategoricalCrossentropy
      ? [tf.oneHot(tf.tensor1d(d.y.map((r) => r[0]!), 'int32'), d.p[0]!.length), tf.tensor2d(d.p), tf.tensor1d(d.w)]
      : kind === 'logits' && metric instanceof BinaryCrossentropy
        ? [tf.tensor2d(d.y.map((r) => [r[0]! % 2])), tf.tensor2d(d.p.map((r) => [r[0]!])), tf.tensor1d(d.w)]
        : toTensors(kind, d, flatLabels);
  metric.updateState(tensors[0]!, tensors[1]!, tensors[2]);
  tf.dispose(tensors);
}

describe('federated aggregation (property test, fixed seed)', () => {
  it('finalize(sum of client states) equals the metric on the union of the data, for every metric, within 1e-5', () => {
    const rng = seedrandom('fedkit-metrics');
    const N = 40;
    for (const variant of VARIANTS) {
      for (let trial = 0; trial < 4; trial++) {
        const numClients = 2 + Math.floor(rng() * 4); // 2..5
        const data = makeData(variant.kind, N, rng);
        const cuts = [0, ...Array.from({ length: numClients - 1 }, () => Math.floor(rng() * (N + 1))).sort((a, b) => a - b), N];
        const flatLabels = trial % 2 === 1; // integer labels [n] on odd trials, [n, 1] on even ones

        // Central: all data in one batch. num_batches counts batches, so it sees the clients' batches.
        const central = variant.make();
        if (central.name !== 'num_batches') update(central, variant.kind, data, flatLabels);

        const states = [];
        let batchesRun = 0;
        for (let c = 0; c < numClients; c++) {
          const client = variant.make();
          // Each client sees its data in batches of 3 to 10 examples, as a local loop would.
          for (let a = cuts[c]!; a < cuts[c + 1]!; ) {
            const b = Math.min(cuts[c + 1]!, a + 3 + Math.floor(rng() * 8));
            update(client, variant.kind, slice(data, a, b), flatLabels);
            batchesRun++;
            a = b;
          }
          states.push({ [client.name]: client.unfinalizedState() });
          client.dispose();
        }
        // num_batches counts batches: on the union it is the number of batches the clients ran.
        if (central.name === 'num_batches') for (let i = 0; i < batchesRun; i++) update(central, variant.kind, slice(data, 0, 1), flatLabels);
        const federated = sumThenFinalize({ [central.name]: (s) => central.finalize(s) }, states)[central.name]!;
        const expected = central.result();
        const where = `${variant.label}, trial ${trial}, ${numClients} clients`;
        expect(Number.isFinite(expected), where).toBe(true);
        // Absolute 1e-5, relative for values above 1 (MAPE is in percent, float32 sums).
        expect(Math.abs(federated - expected), where).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected)));
        central.dispose();
      }
    }
  });
});
