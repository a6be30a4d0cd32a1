import * as tf from '@tensorflow/tfjs';
import { ModelWeights, sumThenFinalize, TensorSpec, type Model } from '@fedkit/core';
import { SparseCategoricalCrossentropy } from '@fedkit/losses';
import { MeanAbsoluteError, Sum } from '@fedkit/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { fromKerasModel } from './from-keras-model.js';
import { linearModel, threeOutputModel } from './testing/models.js';

/** Runs one forward pass and returns the loss as a number, disposing what it made. */
function passLoss(model: Model, batch: Parameters<Model['forwardPass']>[0], training = true): number {
  const out = model.forwardPass(batch, training);
  const loss = out.loss.dataSync()[0]!;
  tf.dispose([out.loss, out.predictions]);
  return loss;
}

const linearSpec = (d: number) => ({ x: new TensorSpec([null, d]), y: new TensorSpec([null, 1]) });
const zerosAndOnes = (d: number) => ({ x: tf.tensor2d([Array(d).fill(0), Array(d).fill(1)]), y: tf.tensor2d([[0], [1]]) });

describe('fromKerasModel forward pass (TFF keras_utils numbers)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives loss 0.5 on the zeros Dense(1) model and counts one batch of two examples', () => {
    const model = fromKerasModel(linearModel(5), { loss: 'mse', inputSpec: linearSpec(5) });
    const batch = zerosAndOnes(5);
    // predictions [0, 0], labels [0, 1]: (0 + 1) / 2 = 0.5
    expect(passLoss(model, batch)).toBeCloseTo(0.5, 6);
    const m = model.reportLocalUnfinalizedMetrics();
    expect(m['num_batches']).toEqual([1]);
    expect(m['num_examples']).toEqual([2]);
    expect(m['loss']![1]).toBe(2);
    tf.dispose(batch);
  });

  it('adds L2 regularization: ones model, d = 3 gives 5.04', () => {
    const model = fromKerasModel(linearModel(3, 'ones', 0.01), { loss: 'mse', inputSpec: linearSpec(3) });
    const batch = zerosAndOnes(3);
    // predictions [1, 4], labels [0, 1]: (1 + 9) / 2 = 5; 0.01 · (3 + 1) = 0.04
    expect(passLoss(model, batch)).toBeCloseTo(5.04, 5);
    // The loss metric records the data loss without regularization: 5 · 2 examples.
    expect(model.reportLocalUnfinalizedMetrics()['loss']).toEqual([10, 2]);
    tf.dispose(batch);
  });

  const threeOutputSpec = {
    x: [new TensorSpec([null, 1]), new TensorSpec([null, 1])],
    y: [new TensorSpec([null, 1]), new TensorSpec([null, 1]), new TensorSpec([null, 1])],
  };
  const threeOutputBatch = () => ({
    x: [tf.zeros([1, 1]), tf.zeros([1, 1])],
    y: [tf.tensor2d([[0]]), tf.tensor2d([[1]]), tf.tensor2d([[1]])],
  });

  it('sums one loss per output: zeros 3-output model gives 2.0', () => {
    const model = fromKerasModel(threeOutputModel(), { loss: ['mse', 'mse', 'mse'], inputSpec: threeOutputSpec });
    const batch = threeOutputBatch();
    // outputs 0, 0, 0 vs labels 0, 1, 1: 0 + 1 + 1
    expect(passLoss(model, batch)).toBeCloseTo(2.0, 6);
    tf.dispose(batch);
  });

  it('weights losses with lossWeights: 0.5', () => {
    const model = fromKerasModel(threeOutputModel(), { loss: ['mse', 'mse', 'mse'], lossWeights: [0.1, 0.2, 0.3], inputSpec: threeOutputSpec });
    const batch = threeOutputBatch();
    // 0.1·0 + 0.2·1 + 0.3·1
    expect(passLoss(model, batch)).toBeCloseTo(0.5, 6);
    tf.dispose(batch);
  });

  it('adds regularization of all 11 parameters: 5.11, and 1.41 with lossWeights', () => {
    const batch = threeOutputBatch();
    // outputs: a = 1, b = 1, c = 1·1 + 1·1 + 1 = 3; errors² 1, 0, 4; L2 0.01 · 11 = 0.11
    const plain = fromKerasModel(threeOutputModel('ones', 0.01), { loss: ['mse', 'mse', 'mse'], inputSpec: threeOutputSpec });
    expect(passLoss(plain, batch)).toBeCloseTo(5.11, 5);
    // 0.1·1 + 0.2·0 + 0.3·4 + 0.11 = 1.41
    const weighted = fromKerasModel(threeOutputModel('ones', 0.01), { loss: ['mse', 'mse', 'mse'], lossWeights: [0.1, 0.2, 0.3], inputSpec: threeOutputSpec });
    expect(passLoss(weighted, batch)).toBeCloseTo(1.41, 5);
    tf.dispose(batch);
  });

  it('takes lossWeights and losses keyed by output name', () => {
    const keras = threeOutputModel();
    const [o1, o2, o3] = keras.outputNames as [string, string, string];
    const model = fromKerasModel(keras, { loss: { [o1]: 'mse', [o2]: 'mse', [o3]: 'mse' }, lossWeights: { [o1]: 0.1, [o2]: 0.2, [o3]: 0.3 }, inputSpec: threeOutputSpec });
    const batch = threeOutputBatch();
    expect(passLoss(model, batch)).toBeCloseTo(0.5, 6);
    tf.dispose(batch);
  });

  it('accepts a dummy batch as an object or as an array, warning once that it is deprecated', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const batch = zerosAndOnes(3);
    const fromObject = fromKerasModel(linearModel(3), { loss: 'mse', dummyBatch: batch });
    const fromArray = fromKerasModel(linearModel(3), { loss: 'mse', dummyBatch: [batch.x, batch.y] });
    expect(fromObject.inputSpec.toString()).toBe('<x=float32[?,3],y=float32[?,1]>');
    expect(fromArray.inputSpec.toString()).toBe('<x=float32[?,3],y=float32[?,1]>');
    expect(passLoss(fromArray, batch)).toBeCloseTo(0.5, 6);
    // The first dummyBatch use in this (isolated) test file warns; the second does not.
    expect(warn.mock.calls.filter((c) => (c[1] as { type?: string } | undefined)?.type === 'DeprecationWarning')).toHaveLength(1);
    tf.dispose(batch);
  });

  it('counts 3 batches and 30 examples for an Embedding→Softmax model with sparse labels', () => {
    const keras = tf.sequential({
      layers: [tf.layers.embedding({ inputDim: 10, outputDim: 5, inputLength: 1 }), tf.layers.softmax({ axis: -1 })],
    });
    const model = fromKerasModel(keras, {
      loss: new SparseCategoricalCrossentropy(),
      inputSpec: { x: new TensorSpec([null, 1], 'int32'), y: new TensorSpec([null, 1], 'int32') },
    });
    for (let i = 0; i < 3; i++) {
      const batch = { x: tf.tensor2d(Array.from({ length: 10 }, (_, j) => [j]), undefined, 'int32'), y: tf.tensor2d(Array.from({ length: 10 }, (_, j) => [j % 5]), undefined, 'int32') };
      const loss = passLoss(model, batch);
      // 5 outputs, uniform-ish initial softmax: loss near ln 5 = 1.609
      expect(loss).toBeGreaterThan(1.5);
      expect(loss).toBeLessThan(1.75);
      tf.dispose(batch);
    }
    const m = model.reportLocalUnfinalizedMetrics();
    expect(m['num_batches']).toEqual([3]);
    expect(m['num_examples']).toEqual([30]);
  });

  it('maps record features to a two-input model by input name', () => {
    const a = tf.input({ shape: [1], name: 'first' });
    const b = tf.input({ shape: [2], name: 'second' });
    const out = tf.layers.dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' }).apply(tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const model = fromKerasModel(tf.model({ inputs: [a, b], outputs: out }), {
      loss: 'mse',
      inputSpec: { x: { second: new TensorSpec([null, 2]), first: new TensorSpec([null, 1]) }, y: new TensorSpec([null, 1]) },
    });
    // prediction = 1 + (2 + 3) = 6; label 4 -> (6 - 4)² = 4
    const batch = { x: { second: tf.tensor2d([[2, 3]]), first: tf.tensor2d([[1]]) }, y: tf.tensor2d([[4]]) };
    expect(passLoss(model, batch)).toBeCloseTo(4, 5);
    tf.dispose([batch.x.first, batch.x.second, batch.y]);
  });

  it('reproduces the loss of a Conv+BatchNorm model after copying its weights to a fresh model', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const build = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, padding: 'same' }),
          tf.layers.batchNormalization(),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1 }),
        ],
      });
    const spec = { x: new TensorSpec([null, 4, 4, 1]), y: new TensorSpec([null, 1]) };
    const source = fromKerasModel(build(), { loss: 'mse', inputSpec: spec });
    const batch = { x: tf.randomUniform([3, 4, 4, 1], 0, 1, 'float32', 7), y: tf.tensor2d([[1], [2], [3]]) };
    // Two training steps move the trainable weights and, through the training-mode pass, the BatchNorm
    // moving statistics away from their initial 0 / 1, so copying the non-trainable variables matters.
    const optimizer = tf.train.sgd(0.1);
    for (let i = 0; i < 2; i++) {
      const { value, grads } = tf.variableGrads(() => source.forwardPass(batch, true).loss, source.trainableVariables);
      optimizer.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    optimizer.dispose();
    const [movingMean] = source.nonTrainableVariables;
    expect(Array.from(movingMean!.dataSync()).some((v) => v !== 0)).toBe(true);
    const expected = passLoss(source, batch, false);
    const freshKerasModel = build();
    const target = fromKerasModel(freshKerasModel, { loss: 'mse', inputSpec: spec });
    expect(passLoss(target, batch, false)).not.toBeCloseTo(expected, 3);
    const weights = ModelWeights.fromModel(source);
    weights.assignWeightsTo(freshKerasModel);
    weights.dispose();
    expect(passLoss(target, batch, false)).toBeCloseTo(expected, 5);
    tf.dispose(batch);
  });

  it('takes sparse crossentropy from the logits of a softmax output layer, as Keras does: loss 20, not the clipped 16.12', () => {
    // Dense(3, softmax) with zero kernel and bias [0, 0, 20]: logits [0, 0, 20], label 0. From the logits the loss is
    // log(2 + e^20) − 0 ≈ 20 (Keras's _get_logits in keras/src/backend/tensorflow/nn.py); from probabilities clipped at
    // 1e-7 it would be −ln(1e-7) ≈ 16.12.
    const keras = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'softmax' })] });
    keras.layers[0]!.setWeights([tf.zeros([2, 3]), tf.tensor1d([0, 0, 20])]);
    const model = fromKerasModel(keras, { loss: 'sparse_categorical_crossentropy', inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null], 'int32') } });
    const out = model.forwardPass({ x: tf.tensor2d([[1, 1]]), y: tf.tensor1d([0], 'int32') });
    expect(out.loss.dataSync()[0]).toBeCloseTo(20, 4);
    // The predictions are still the softmax probabilities, and the layer keeps its softmax afterwards.
    expect((out.predictions as tf.Tensor).dataSync()[2]).toBeCloseTo(1, 6);
    expect((model.predictOnBatch(tf.tensor2d([[1, 1]])) as tf.Tensor).dataSync()[2]).toBeCloseTo(1, 6);
    expect(model.reportLocalUnfinalizedMetrics()['loss']![0]).toBeCloseTo(20, 4);
  });

  it('with updateMetrics: false leaves the metrics to updateMetrics, which records the same values', () => {
    const model = fromKerasModel(linearModel(3, 'zeros'), { loss: 'mean_squared_error', inputSpec: linearSpec(3) });
    const batch = zerosAndOnes(3);
    const out = model.forwardPass(batch, true, { updateMetrics: false });
    expect(model.reportLocalUnfinalizedMetrics()['num_batches']).toEqual([0]);
    model.updateMetrics!(batch, out);
    // Zeros model: predictions 0, labels [0, 1]: loss 0.5, recorded as [0.5 · 2, 2].
    expect(model.reportLocalUnfinalizedMetrics()).toEqual({ loss: [1, 2], num_examples: [2], num_batches: [1] });
    tf.dispose([out.loss, out.predictions as tf.Tensor]);
  });

  it('hands integer labels to a custom loss uncast', () => {
    let dtype = '';
    const model = fromKerasModel(linearModel(2), {
      loss: (y, p) => {
        dtype = y.dtype;
        return tf.mean(tf.square(tf.sub(p, y.toFloat()))) as tf.Scalar;
      },
      inputSpec: { x: new TensorSpec([null, 2]), y: new TensorSpec([null, 1], 'int32') },
    });
    const batch = { x: tf.zeros([2, 2]), y: tf.tensor2d([[1], [3]], undefined, 'int32') };
    // (1 + 9) / 2 = 5
    expect(passLoss(model, batch)).toBeCloseTo(5, 6);
    expect(dtype).toBe('int32');
    tf.dispose(batch);
  });

  it('finalizes metrics after one pass: loss 1, mae 1, 2 examples, 1 batch; resetMetrics zeroes them', () => {
    const model = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: linearSpec(3), metrics: [new MeanAbsoluteError()] });
    const batch = { x: tf.ones([2, 3]), y: tf.ones([2, 1]) };
    passLoss(model, batch);
    const finalized = sumThenFinalize(model.metricFinalizers(), [model.reportLocalUnfinalizedMetrics()]);
    expect(finalized).toEqual({ mean_absolute_error: 1, loss: 1, num_examples: 2, num_batches: 1 });
    expect(Object.keys(model.reportLocalUnfinalizedMetrics())).toEqual(['mean_absolute_error', 'loss', 'num_examples', 'num_batches']);
    model.resetMetrics();
    for (const v of model.localVariables) expect(Array.from(v.dataSync()).every((n) => n === 0)).toBe(true);
    tf.dispose(batch);
  });

  it('orders local variables: user metrics, loss (total, count), num_examples, num_batches', () => {
    const model = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: linearSpec(3), metrics: [() => new MeanAbsoluteError()] });
    // mae (2) + loss (2) + num_examples (1) + num_batches (1)
    expect(model.localVariables).toHaveLength(6);
    expect(model.trainableVariables.map((v) => v.shape)).toEqual([[3, 1], [1]]);
  });

  it('trains by hand with tf.variableGrads over forwardPass and leaks no tensor', () => {
    const model = fromKerasModel(linearModel(2), { loss: 'mse', inputSpec: linearSpec(2) });
    const optimizer = tf.train.sgd(0.01);
    const batch = { x: tf.tensor2d([[1, 2], [3, 4]]), y: tf.tensor2d([[5], [6]]) };
    const losses: number[] = [];
    const step = () => {
      const { value, grads } = tf.variableGrads(() => model.forwardPass(batch).loss, model.trainableVariables);
      optimizer.applyGradients(grads);
      losses.push(value.dataSync()[0]!);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    // first loss: zeros model, (25 + 36) / 2 = 30.5; then it must fall
    expect(losses[0]).toBeCloseTo(30.5, 4);
    expect(losses[5]!).toBeLessThan(losses[0]!);
    const p = model.predictOnBatch(batch.x) as tf.Tensor;
    expect(p.shape).toEqual([2, 1]);
    tf.dispose([p, batch.x, batch.y]);
    optimizer.dispose();
  });
});

describe('fromKerasModel Model protocol', () => {
  it('leaks no tensor in forwardPass, predictOnBatch, the reporting calls and resetMetrics', () => {
    const threeSpec = {
      x: [new TensorSpec([null, 1]), new TensorSpec([null, 1])],
      y: [new TensorSpec([null, 1]), new TensorSpec([null, 1]), new TensorSpec([null, 1])],
    };
    const single = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: linearSpec(3), metrics: [new MeanAbsoluteError()] });
    const multi = fromKerasModel(threeOutputModel(), { loss: ['mse', 'mse', 'mse'], inputSpec: threeSpec });
    const batch = zerosAndOnes(3);
    const multiBatch = { x: [tf.zeros([2, 1]), tf.zeros([2, 1])], y: [tf.zeros([2, 1]), tf.ones([2, 1]), tf.ones([2, 1])] };
    const cycle = () => {
      for (const [model, b] of [[single, batch], [multi, multiBatch]] as const) {
        const out = model.forwardPass(b);
        tf.dispose([out.loss, out.predictions]);
        tf.dispose(model.predictOnBatch(b.x));
        model.reportLocalUnfinalizedMetrics();
        sumThenFinalize(model.metricFinalizers(), [model.reportLocalUnfinalizedMetrics()]);
        model.resetMetrics();
      }
    };
    cycle();
    const before = tf.memory().numTensors;
    cycle();
    cycle();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch, multiBatch]);
  });

  it('returns numExamples, and predictions the caller owns, one per output', () => {
    const model = fromKerasModel(linearModel(3, 'ones'), { loss: 'mse', inputSpec: linearSpec(3) });
    const batch = zerosAndOnes(3);
    const out = model.forwardPass(batch);
    expect(out.numExamples).toBe(2);
    // ones kernel and bias: [0,0,0]·1 + 1 = 1, [1,1,1]·1 + 1 = 4
    expect(Array.from((out.predictions as tf.Tensor).dataSync())).toEqual([1, 4]);
    tf.dispose([out.loss, out.predictions, batch]);
  });

  it('applies the model with the training flag (Dropout active only when training)', () => {
    const keras = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' }), tf.layers.dropout({ rate: 0.5 })],
    });
    const model = fromKerasModel(keras, { loss: 'mse', inputSpec: { x: new TensorSpec([null, 1]), y: new TensorSpec([null, 1]) } });
    const batch = { x: tf.ones([64, 1]), y: tf.ones([64, 1]) };
    const training = model.forwardPass(batch, true);
    const inference = model.forwardPass(batch, false);
    // Dense gives 1; inverted dropout at rate 0.5 keeps a unit as 1 / 0.5 = 2 or drops it to 0.
    expect(Array.from((training.predictions as tf.Tensor).dataSync()).every((v) => v === 0 || v === 2)).toBe(true);
    expect(Array.from((inference.predictions as tf.Tensor).dataSync()).every((v) => v === 1)).toBe(true);
    tf.dispose([training.loss, training.predictions, inference.loss, inference.predictions, batch]);
  });

  it('orders localVariables as user metrics, then loss (total, count), num_examples, num_batches', () => {
    const mae = new MeanAbsoluteError();
    const model = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: linearSpec(3), metrics: [mae] });
    const batch = { x: tf.ones([2, 3]), y: tf.ones([2, 1]) };
    const out = model.forwardPass(batch);
    tf.dispose([out.loss, out.predictions, batch]);
    const local = model.localVariables;
    expect(local.slice(0, 2)).toEqual(mae.variables);
    // zeros model, labels 1: mse 1 over 2 examples -> loss [1·2, 2], then num_examples [2], num_batches [1]
    expect(local.slice(2).map((v) => v.dataSync()[0])).toEqual([2, 2, 2, 1]);
  });

  it('lets a user metric named num_examples replace the built-in counter', () => {
    const custom = new Sum({ name: 'num_examples' });
    const model = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: linearSpec(3), metrics: [custom] });
    const batch = { x: tf.ones([2, 3]), y: tf.tensor2d([[2], [3]]) };
    const out = model.forwardPass(batch);
    tf.dispose([out.loss, out.predictions, batch]);
    const report = model.reportLocalUnfinalizedMetrics();
    expect(Object.keys(report)).toEqual(['num_examples', 'loss', 'num_batches']);
    // the user's Sum adds the labels: 2 + 3 = 5 (the built-in counter would say 2)
    expect(report['num_examples']).toEqual([5]);
    expect(model.localVariables).toHaveLength(4);
  });

  it('throws a ValueError naming the path for a rank or structure mismatch, and accepts any size for a null dimension', () => {
    const model = fromKerasModel(linearModel(3), { loss: 'mse', inputSpec: linearSpec(3) });
    const deep = { x: tf.zeros([2, 3, 1]), y: tf.zeros([2, 1]) };
    expect(() => model.forwardPass(deep)).toThrow(/batch element "x" has rank 3/);
    const split = { x: [tf.zeros([2, 3])], y: tf.zeros([2, 1]) };
    expect(() => model.forwardPass(split)).toThrow(/batch element "x"/);
    const big = { x: tf.zeros([7, 3]), y: tf.zeros([7, 1]) };
    const out = model.forwardPass(big);
    expect(out.numExamples).toBe(7);
    tf.dispose([deep, split, big, out.loss, out.predictions]);
  });
});
