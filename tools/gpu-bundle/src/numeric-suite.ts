import * as tf from '@tensorflow/tfjs';
import { buildWeightedFedAvg } from '@fedkit/learning';
import * as losses from '@fedkit/losses';
import * as metrics from '@fedkit/metrics';

import { batchesOf } from './batches-of.js';
import { errorText, type BackendName, type Backends } from './backends.js';
import { compareArrays, RELATIVE_TOLERANCE, type Comparison } from './compare-arrays.js';
import { denseFedAvgRound, sequentialFedAvgRound, type ClientTensors } from './device-fed-avg.js';
import { buildFedkitModel, buildKerasModel, xShapeOf, type ModelName } from './fedavg-models.js';
import { syntheticExamples, uniformValues, type SyntheticExamples } from './synthetic-data.js';

/** One check of the suite on every backend: its comparison with cpu, or the error it raised. */
export interface NumericItem {
  readonly name: string;
  readonly results: Partial<Record<BackendName, Comparison | { readonly error: string }>>;
  /** Seconds the check took on each backend (the first run of a kernel includes its compilation). */
  readonly seconds: Partial<Record<BackendName, number>>;
  /** A note, e.g. that fedkit's metric `result()` needs a synchronous read. */
  readonly notes?: Partial<Record<BackendName, string>>;
}

/** Part 2: every backend against the cpu backend. */
export interface NumericReport {
  readonly reference: 'cpu';
  readonly tolerance: number;
  readonly compared: readonly BackendName[];
  readonly items: readonly NumericItem[];
  /** True when every comparison ran and passed. */
  readonly allPass: boolean;
  /** Seconds each backend took for the whole suite. */
  readonly seconds: Partial<Record<BackendName, number>>;
}

/** Sizes of the suite's FedAvg rounds. */
export interface NumericSizes {
  readonly clients: number;
  readonly examples2nn: number;
  readonly examplesCnn: number;
  readonly clientsCnn: number;
}

type Outcome = ({ readonly values: Float32Array[]; readonly note?: string } | { readonly error: string }) & { readonly seconds: number };
type Check = { readonly name: string; readonly run: () => Promise<{ values: Float32Array[]; note?: string }> };

const LR = 0.05;

/**
 * Runs fedkit's losses, metrics and FedAvg rounds of the 2NN and the CNN on cpu, then on every other available
 * backend, and compares each result with cpu's within {@link RELATIVE_TOLERANCE}. Values are read back
 * asynchronously; a check that throws on a backend is recorded with its error, not rethrown.
 *
 * @example
 * ```ts
 * const report = await numericSuite(backends, { clients: 2, examples2nn: 8, examplesCnn: 2 });
 * ```
 */
export async function numericSuite(backends: Backends, sizes: NumericSizes): Promise<NumericReport> {
  const checks = buildChecks(sizes);
  const outcomes = new Map<BackendName, Outcome[]>();
  const seconds: Partial<Record<BackendName, number>> = {};
  for (const backend of backends.available) {
    const t0 = performance.now();
    await backends.activate(backend);
    const list: Outcome[] = [];
    for (const check of checks) {
      const start = performance.now();
      const took = (): number => (performance.now() - start) / 1000;
      try {
        const out = await check.run();
        list.push({ ...out, seconds: took() });
      } catch (e) {
        list.push({ error: errorText(e), seconds: took() });
      }
    }
    outcomes.set(backend, list);
    seconds[backend] = (performance.now() - t0) / 1000;
    console.log(`[gpu-check] numeric suite on ${backend}: ${seconds[backend]!.toFixed(1)} s`);
  }
  const compared = backends.available.filter((b) => b !== 'cpu');
  const reference = outcomes.get('cpu')!;
  let allPass = true;
  const items = checks.map((check, i): NumericItem => {
    const ref = reference[i]!;
    const results: NumericItem['results'] = {};
    const notes: Partial<Record<BackendName, string>> = {};
    const itemSeconds: Partial<Record<BackendName, number>> = {};
    for (const backend of backends.available) {
      const mine = outcomes.get(backend)![i]!;
      itemSeconds[backend] = mine.seconds;
      if ('note' in mine && mine.note !== undefined) notes[backend] = mine.note;
      if (backend === 'cpu' && !('error' in mine)) continue;
      if ('error' in mine || 'error' in ref) {
        results[backend] = { error: 'error' in mine ? mine.error : `the cpu reference failed: ${(ref as { error: string }).error}` };
        allPass = false;
        continue;
      }
      const c = compareArrays(mine.values, ref.values);
      results[backend] = c;
      allPass &&= c.pass;
    }
    return { name: check.name, results, seconds: itemSeconds, ...(Object.keys(notes).length > 0 ? { notes } : {}) };
  });
  return { reference: 'cpu', tolerance: RELATIVE_TOLERANCE, compared, items, allPass, seconds };
}

function buildChecks(sizes: NumericSizes): Check[] {
  const rows = 16;
  const classes = 10;
  const probs = uniformValues(rows * classes, 0.05, 0.95, 11);
  const targets = uniformValues(rows * classes, 0, 1, 12);
  const labels = Int32Array.from(uniformValues(rows, 0, classes, 13), (v) => Math.floor(v));
  const oneHot = new Float32Array(rows * classes);
  labels.forEach((l, r) => (oneHot[r * classes + l] = 1));
  const binary = Float32Array.from(targets, (v) => (v > 0.5 ? 1 : 0));

  const lossCheck = (name: string, make: () => { call(a: tf.Tensor, b: tf.Tensor): tf.Scalar }, yTrue: () => tf.Tensor, normalize: boolean): Check => ({
    name: `loss ${name}`,
    run: async () => {
      const loss = make();
      const out = tf.tidy(() => {
        let p = tf.tensor2d(probs, [rows, classes]);
        if (normalize) p = tf.div(p, tf.sum(p, -1, true));
        return loss.call(yTrue(), p);
      });
      const values = [Float32Array.from(await out.data())];
      out.dispose();
      return { values };
    },
  });
  const metricCheck = (name: string, make: () => metrics.Metric, yTrue: () => tf.Tensor): Check => ({
    name: `metric ${name}`,
    run: async () => {
      const metric = make();
      try {
        for (const half of [0, 1]) {
          tf.tidy(() => {
            const p = tf.tensor2d(probs, [rows, classes]);
            const sl = (t: tf.Tensor): tf.Tensor => tf.slice(t, half * (rows / 2), rows / 2);
            metric.updateState(sl(yTrue()), sl(p));
          });
        }
        // Read the state asynchronously, as a GPU backend needs; the result is fedkit's own finalize.
        const state = (await Promise.all(metric.variables.map((v) => v.data()))).flatMap((d) => Array.from(d));
        let note: string | undefined;
        try {
          metric.result();
        } catch (e) {
          note = `fedkit's synchronous result() failed here: ${errorText(e)}`;
        }
        return { values: [Float32Array.of(metric.finalize(state))], ...(note === undefined ? {} : { note }) };
      } finally {
        metric.dispose();
      }
    },
  });

  const checks: Check[] = [
    lossCheck('MeanSquaredError', () => new losses.MeanSquaredError(), () => tf.tensor2d(targets, [rows, classes]), false),
    lossCheck('CategoricalCrossentropy', () => new losses.CategoricalCrossentropy(), () => tf.tensor2d(oneHot, [rows, classes]), true),
    lossCheck('SparseCategoricalCrossentropy', () => new losses.SparseCategoricalCrossentropy(), () => tf.tensor1d(labels, 'int32'), true),
    lossCheck('BinaryCrossentropy', () => new losses.BinaryCrossentropy(), () => tf.tensor2d(binary, [rows, classes]), false),
    lossCheck('Huber', () => new losses.Huber(), () => tf.tensor2d(targets, [rows, classes]), false),
    metricCheck('CategoricalAccuracy', () => new metrics.CategoricalAccuracy(), () => tf.tensor2d(oneHot, [rows, classes])),
    metricCheck('SparseCategoricalAccuracy', () => new metrics.SparseCategoricalAccuracy(), () => tf.tensor1d(labels, 'int32')),
    metricCheck('MeanSquaredError', () => new metrics.MeanSquaredError(), () => tf.tensor2d(targets, [rows, classes])),
    metricCheck('AUC', () => new metrics.AUC(), () => tf.tensor2d(binary, [rows, classes])),
  ];
  for (const model of ['2nn', 'cnn'] as const) {
    const n = model === '2nn' ? sizes.examples2nn : sizes.examplesCnn;
    const clients = model === '2nn' ? sizes.clients : sizes.clientsCnn;
    const data = Array.from({ length: clients }, (_, k) => syntheticExamples(n + k, xShapeOf(model), 10, 100 + k));
    // Clients of unequal sizes (n, n+1, ...) so that the weighting and a partial last batch are exercised. The CNN
    // trains each client in one (partial) batch: the cpu reference's Conv2D gradients cost seconds per step.
    const batch = model === '2nn' ? Math.max(1, Math.ceil(n / 2)) : n + clients - 1;
    checks.push({ name: `FedAvg round, ${model}, fedkit buildWeightedFedAvg`, run: () => fedkitRound(model, data, batch) });
    checks.push({ name: `FedAvg round, ${model}, tfjs ops on the device (sequential clients)`, run: () => deviceRound(model, data, batch) });
  }
  const data2nn = Array.from({ length: sizes.clients }, (_, k) => syntheticExamples(sizes.examples2nn + k, [784], 10, 100 + k));
  const batch2nn = Math.max(1, Math.ceil(sizes.examples2nn / 2));
  checks.push({ name: 'FedAvg round, 2nn, trainClientsBatched (batched clients)', run: () => batchedRound(data2nn, batch2nn) });
  return checks;
}

async function fedkitRound(model: ModelName, data: readonly SyntheticExamples[], batch: number): Promise<{ values: Float32Array[] }> {
  const process = buildWeightedFedAvg({ modelFn: () => buildFedkitModel(model, 1), clientOptimizerFn: () => tf.train.sgd(LR) });
  const out = await process.next(process.initialize(), data.map((d) => batchesOf(d, batch)));
  if (out.metrics.failures > 0) {
    throw new Error(`${out.metrics.failures} client(s) failed: ${out.clientReports.find((r) => !r.ok)?.error ?? ''}`);
  }
  return { values: process.getModelWeights(out.state).trainable.map((a) => Float32Array.from(a)) };
}

function toTensors(ex: SyntheticExamples): ClientTensors {
  return { x: tf.tensor(ex.x, [ex.n, ...ex.xShape]), y: tf.tensor1d(ex.y, 'int32') };
}

async function deviceRound(model: ModelName, data: readonly SyntheticExamples[], batch: number): Promise<{ values: Float32Array[] }> {
  const keras = buildKerasModel(model, 1);
  const clients = data.map(toTensors);
  const server = keras.trainableWeights.map((w) => tf.clone(w.read()));
  try {
    const next = sequentialFedAvgRound(keras, server, clients, { learningRate: LR, batchSize: batch });
    const values = await Promise.all(next.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(next);
    return { values };
  } finally {
    tf.dispose([...server, ...clients.flatMap((c) => [c.x, c.y])]);
    keras.dispose();
  }
}

async function batchedRound(data: readonly SyntheticExamples[], batch: number): Promise<{ values: Float32Array[] }> {
  const keras = buildKerasModel('2nn', 1);
  // The batched trainer takes logits: the same 2NN with its softmax folded into the loss.
  const server = keras.trainableWeights.map((w) => tf.clone(w.read()));
  const clients = data.map((d) => ({
    x: tf.tensor2d(d.x, [d.n, 784]),
    y: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(d.y, 'int32'), 10), 'float32')) as tf.Tensor2D,
  }));
  try {
    const next = denseFedAvgRound(server, clients, { learningRate: LR, batchSize: batch }, true);
    const values = await Promise.all(next.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(next);
    return { values };
  } finally {
    tf.dispose([...server, ...clients.flatMap((c) => [c.x, c.y])]);
    keras.dispose();
  }
}
