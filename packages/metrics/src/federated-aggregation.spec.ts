import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';

import type { Metric } from './metric.js';
import { BUILT_IN_METRICS } from './register-metrics.js';

// Data for each metric family: labels and predictions of matching shapes and meaning.
type Kind = 'sparse' | 'onehot' | 'binary' | 'regression' | 'equal';
const KIND: Record<string, Kind> = {
  accuracy: 'equal',
  binary_accuracy: 'binary',
  categorical_accuracy: 'onehot',
  sparse_categorical_accuracy: 'sparse',
  top_k_categorical_accuracy: 'onehot',
  sparse_top_k_categorical_accuracy: 'sparse',
  binary_crossentropy: 'binary',
  categorical_crossentropy: 'onehot',
  sparse_categorical_crossentropy: 'sparse',
  precision: 'binary',
  recall: 'binary',
  auc: 'binary',
};
const CLASSES = 7;

function makeData(kind: Kind, n: number, rng: () => number): { y: number[][]; p: number[][]; w: number[] } {
  const y: number[][] = [];
  const p: number[][] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    w.push(Math.floor(rng() * 3));
    if (kind === 'sparse' || kind === 'onehot') {
      const label = Math.floor(rng() * CLASSES);
      const scores = Array.from({ length: CLASSES }, () => rng() + 0.01);
      const sum = scores.reduce((a, b) => a + b, 0);
      p.push(scores.map((s) => s / sum));
      y.push(kind === 'sparse' ? [label] : Array.from({ length: CLASSES }, (_, c) => (c === label ? 1 : 0)));
    } else if (kind === 'binary') {
      y.push([rng() < 0.5 ? 0 : 1]);
      p.push([rng()]);
    } else if (kind === 'equal') {
      y.push([Math.floor(rng() * 3)]);
      p.push([Math.floor(rng() * 3)]);
    } else {
      y.push([rng() * 4 + 0.5, rng() * 4 + 0.5]);
      p.push([rng() * 4, rng() * 4]);
    }
  }
  return { y, p, w };
}

function update(metric: Metric, y: number[][], p: number[][], w: number[], sparse: boolean): void {
  if (y.length === 0) return;
  const yt = sparse ? tf.tensor2d(y, undefined, 'int32') : tf.tensor2d(y);
  const pt = tf.tensor2d(p);
  const wt = tf.tensor1d(w);
  metric.updateState(yt, pt, wt);
  tf.dispose([yt, pt, wt]);
}

describe('federated aggregation of every built-in metric', () => {
  it('finalize(sum of client states) equals the metric on the union of the data', () => {
    const rng = seedrandom('fedkit-metrics');
    for (const [MetricClass, [name]] of BUILT_IN_METRICS) {
      if (name === 'mean' || name === 'sum') continue; // value reducers, covered through the wrappers
      const kind = KIND[name!] ?? 'regression';
      const sparse = kind === 'sparse';
      for (let trial = 0; trial < 3; trial++) {
        const numClients = 2 + Math.floor(rng() * 4); // 2..5
        const data = makeData(kind, 40, rng);
        const cuts = [0, ...Array.from({ length: numClients - 1 }, () => Math.floor(rng() * 40)).sort((a, b) => a - b), 40];

        // The central metric sees the same batches in one place (so num_batches agrees too).
        const central = new MetricClass({});
        for (let c = 0; c < numClients; c++) {
          const [a, b] = [cuts[c]!, cuts[c + 1]!];
          update(central, data.y.slice(a, b), data.p.slice(a, b), data.w.slice(a, b), sparse);
        }
        const expected = central.result();

        const summed: number[] = central.unfinalizedState().map(() => 0);
        for (let c = 0; c < numClients; c++) {
          const client = new MetricClass({});
          const [a, b] = [cuts[c]!, cuts[c + 1]!];
          update(client, data.y.slice(a, b), data.p.slice(a, b), data.w.slice(a, b), sparse);
          client.unfinalizedState().forEach((v, i) => (summed[i]! += v));
          client.dispose();
        }
        expect(Math.abs(central.finalize(summed) - expected), `${name} with ${numClients} clients`).toBeLessThan(1e-5);
        central.dispose();
      }
    }
  });
});
