import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { DENSE_SGD_STEP_KERNEL, type DenseSgdStepAttrs } from '@fedkit/core';

import { scalarKernels } from './scalar-kernels.js';
import { heapFloat32, heapOffset, simdKernelsFor } from './simd-kernels.js';
import { disposeInfo, runWasmKernel } from './wasm-kernel-calls.js';

/** One Dense layer as the kernel sees it: its weights on the heap and its sizes. */
interface Layer {
  readonly kernel: tf.TensorInfo;
  readonly bias: tf.TensorInfo | undefined;
  readonly units: number;
  readonly inputUnits: number;
  readonly relu: boolean;
}

/** `n` rounded up to a multiple of 4 floats, so every scratch region starts 16-byte aligned. */
const align4 = (n: number): number => (n + 3) & ~3;

function checkInputs(inputs: tf.NamedTensorInfoMap, attrs: DenseSgdStepAttrs): { x: tf.TensorInfo; y: tf.TensorInfo; layers: Layer[] } {
  const { activations, useBias } = attrs;
  const fail = (found: string): never => {
    throw new TypeError(
      `${DENSE_SGD_STEP_KERNEL} expects x float32 [batch, ...] with batch > 0, y int32 [batch] or [batch, 1], and per layer a float32 ` +
        `kernel [in, out] (in = the previous layer's out) and a bias [out] where useBias says so, with activations ` +
        `'relu' or 'linear' and a 'linear' last layer; found ${found}. Models that do not fit train through the gradient tape.`,
    );
  };
  const x = inputs['x'];
  const y = inputs['y'];
  if (x === undefined || y === undefined) return fail('no x or no y');
  if (activations.length === 0 || activations.length !== useBias.length) return fail(`${activations.length} activations and ${useBias.length} useBias entries`);
  if (activations.at(-1) !== 'linear' || activations.some((a) => a !== 'relu' && a !== 'linear')) return fail(`activations ${JSON.stringify(activations)}`);
  const batch = x.shape[0] ?? 0;
  if (x.dtype !== 'float32' || x.shape.length < 2 || batch === 0) return fail(`x ${x.dtype} ${JSON.stringify(x.shape)}`);
  if (y.dtype !== 'int32' || tf.util.sizeFromShape(y.shape) !== batch || y.shape[0] !== batch || y.shape.length > 2) {
    return fail(`y ${y.dtype} ${JSON.stringify(y.shape)} for a batch of ${batch}`);
  }
  const layers: Layer[] = [];
  let width = tf.util.sizeFromShape(x.shape) / Math.max(batch, 1);
  let w = 0;
  for (let l = 0; l < activations.length; l++) {
    const kernel = inputs[`w${w++}`];
    if (kernel === undefined || kernel.dtype !== 'float32' || kernel.shape.length !== 2 || kernel.shape[0] !== width) {
      return fail(`layer ${l}'s kernel ${kernel === undefined ? 'missing' : `${kernel.dtype} ${JSON.stringify(kernel.shape)}`} after ${width} units`);
    }
    const units = kernel.shape[1]!;
    const bias = useBias[l] ? inputs[`w${w++}`] : undefined;
    if (useBias[l] && (bias === undefined || bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== units)) {
      return fail(`layer ${l}'s bias ${bias === undefined ? 'missing' : `${bias.dtype} ${JSON.stringify(bias.shape)}`} for ${units} units`);
    }
    layers.push({ kernel, bias, units, inputUnits: width, relu: activations[l] === 'relu' });
    width = units;
  }
  if (inputs[`w${w}`] !== undefined) return fail(`more weights than the ${activations.length} layers take`);
  return { x, y, layers };
}

/**
 * The wasm kernel of {@link DENSE_SGD_STEP_KERNEL}: one SGD step of a Dense
 * stack with sparse softmax crossentropy, forward, backward and update in one
 * kernel call, on the backend's heap.
 *
 * It replays the gradient tape's arithmetic op for op, so the weights equal
 * those of tfjs's `optimizer.minimize` with fedkit's loss to the bit (tested):
 * - products on `simd-kernels.wat`'s `matmul` (XNNPACK's order: start from the
 *   bias or 0, then add `a[m, k] · b[k, n]` for k = 0, 1, ...); a relu layer as
 *   the tape runs it unfused (product, then `+ bias`, then relu), a linear
 *   layer fused (the product starts from the bias);
 * - the softmax, `exp` and `log` through the stock wasm kernels (XNNPACK's and
 *   libc's approximations), the rest in f32 operations (`Math.fround`);
 * - the gradient `(exp / sumExp − onehot) · (1 / batch)`, the transposed
 *   products `xᵀ · dz` and `dz · Wᵀ` (as `W · dzᵀ`, the same sums), bias
 *   gradients summed over the batch in order, relu's `dy · step(x)`, and the
 *   update `w + (−learningRate) · gradient` of `SGD_UPDATE_KERNEL`.
 *
 * Per step it makes no tensor besides its outputs and one scratch block, where
 * the tape runs about a hundred kernels, each with its tensors and records.
 */
export function denseSgdStepWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const attrs = args.attrs as unknown as DenseSgdStepAttrs;
  const { x, y, layers } = checkInputs(args.inputs, attrs);
  const kernels = simdKernelsFor(backend) ?? scalarKernels(backend);
  const batch = x.shape[0]!;
  const classes = layers.at(-1)!.units;
  const widest = Math.max(...layers.map((l) => Math.max(l.units, l.inputUnits)));
  // dz · Wᵀ is computed as W · dzᵀ with dzᵀ's batch columns padded to a multiple of 8, the matmul's tile width.
  const paddedBatch = Math.max(8, (batch + 7) & ~7);

  // A copy: the allocations below may grow the heap, which detaches views of it.
  const labels = (backend.typedArrayFromHeap(y) as Int32Array).slice();
  for (let m = 0; m < batch; m++) {
    const id = labels[m]!;
    if (!(id >= 0 && id < classes)) {
      throw new RangeError(`${DENSE_SGD_STEP_KERNEL}: label ${id} at row ${m} is outside [0, ${classes}); check the labels against the model's ${classes} classes.`);
    }
  }

  // Outputs, then scratch: allocating may grow the heap, which keeps offsets but detaches views, so views are
  // taken after each allocation.
  const next = layers.flatMap((l) => [backend.makeOutput([l.inputUnits, l.units], 'float32'), ...(l.bias ? [backend.makeOutput([l.units], 'float32')] : [])]);
  const logits = backend.makeOutput([batch, classes], 'float32');
  const shifted = backend.makeOutput([batch, classes], 'float32');
  const sumExp = backend.makeOutput([batch], 'float32');
  // The scratch block, in floats: the hidden layers' outputs, then a transposed layer input, the output gradient
  // dz, dzᵀ (padded) and dhᵀ (padded).
  const hidden = layers.slice(0, -1).map((l) => align4(batch * l.units));
  const transposedAt = hidden.reduce((a, b) => a + b, 0);
  const dzAt = transposedAt + align4(widest * batch);
  const dzTAt = dzAt + align4(widest * batch);
  const dhTAt = dzTAt + align4(widest * paddedBatch);
  const scratch = backend.makeOutput([dhTAt + align4(widest * paddedBatch)], 'float32');
  const temporaries: tf.TensorInfo[] = [logits, shifted, sumExp, scratch];
  try {
    const base = heapOffset(scratch, backend);
    const at = (floats: number): number => base + 4 * floats;
    const hiddenAt: number[] = [];
    for (let l = 0, offset = 0; l < hidden.length; offset += hidden[l]!, l++) hiddenAt.push(at(offset));
    const inputOf = (l: number): number => (l === 0 ? heapOffset(x, backend) : hiddenAt[l - 1]!);

    // Forward.
    for (let l = 0; l < layers.length; l++) {
      const { kernel, bias, units, inputUnits, relu } = layers[l]!;
      const last = l === layers.length - 1;
      const out = last ? heapOffset(logits, backend) : hiddenAt[l]!;
      const fused = !relu; // tfjs fuses a linear activation's bias into the product, even under a tape
      kernels.matmul(inputOf(l), heapOffset(kernel, backend), fused && bias ? heapOffset(bias, backend) : 0, out, batch, inputUnits, units, 0, 0, 0);
      if (!fused) kernels.bias_relu(out, bias ? heapOffset(bias, backend) : 0, batch, units);
    }

    // Softmax crossentropy from the logits, as fedkit's loss computes it.
    const predictions = runWasmKernel('Softmax', { logits }, backend, { dim: 1 });
    temporaries.push(predictions);
    {
      const z = backend.typedArrayFromHeap(logits) as Float32Array;
      const s = backend.typedArrayFromHeap(shifted) as Float32Array;
      for (let m = 0; m < batch; m++) {
        let max = -Infinity;
        for (let j = 0; j < classes; j++) max = Math.max(max, z[m * classes + j]!);
        for (let j = 0; j < classes; j++) s[m * classes + j] = Math.fround(z[m * classes + j]! - max);
      }
    }
    const exp = runWasmKernel('Exp', { x: shifted }, backend, {});
    temporaries.push(exp);
    {
      const e = backend.typedArrayFromHeap(exp) as Float32Array;
      const sums = backend.typedArrayFromHeap(sumExp) as Float32Array;
      for (let m = 0; m < batch; m++) {
        let acc = 0;
        for (let j = 0; j < classes; j++) acc = Math.fround(acc + e[m * classes + j]!);
        sums[m] = acc;
      }
    }
    const logSum = runWasmKernel('Log', { x: sumExp }, backend, {});
    temporaries.push(logSum);
    const heap = heapFloat32(backend);
    const e = backend.typedArrayFromHeap(exp) as Float32Array;
    const sums = backend.typedArrayFromHeap(sumExp) as Float32Array;
    const s = backend.typedArrayFromHeap(shifted) as Float32Array;
    const logs = backend.typedArrayFromHeap(logSum) as Float32Array;
    let total = 0;
    for (let m = 0; m < batch; m++) total = Math.fround(total + Math.fround(logs[m]! - s[m * classes + labels[m]!]!));
    const loss = Math.fround(total / batch);
    // The mean's gradient reaches each example as 1 / batch, rounded once.
    const perExample = Math.fround(1 / batch);
    const dz = dzAt;
    for (let m = 0; m < batch; m++) {
      for (let j = 0; j < classes; j++) {
        const p = Math.fround(e[m * classes + j]! / sums[m]!);
        heap[(base >> 2) + dz + m * classes + j] = Math.fround(Math.fround(p - (labels[m] === j ? 1 : 0)) * perExample);
      }
    }

    // Backward and update, last layer first; dz holds the current layer's output gradient [batch, units].
    const c = -attrs.learningRate;
    let w = next.length;
    for (let l = layers.length - 1; l >= 0; l--) {
      const { kernel, bias, units, inputUnits } = layers[l]!;
      const newBias = bias ? next[--w]! : undefined;
      const newKernel = next[--w]!;
      kernels.transpose(inputOf(l), at(transposedAt), batch, inputUnits, inputUnits, batch);
      // The kernel's gradient xᵀ · dz and its SGD step in one pass, so the gradient never goes to memory.
      kernels.matmul(at(transposedAt), at(dz), 0, heapOffset(newKernel, backend), inputUnits, batch, units, 0, heapOffset(kernel, backend), c);
      if (bias && newBias) {
        const biasOut = heapOffset(newBias, backend);
        kernels.column_sums(at(dz), biasOut, batch, units);
        kernels.sgd_update(heapOffset(bias, backend), biasOut, biasOut, units, c);
      }
      if (l === 0) break;
      // dh = dz · Wᵀ, computed as dhᵀ = W · dzᵀ (each entry the same sum over the units, in the same order).
      const view = heapFloat32(backend);
      if (batch < paddedBatch) view.fill(0, (base >> 2) + dzTAt, (base >> 2) + dzTAt + units * paddedBatch);
      kernels.transpose(at(dz), at(dzTAt), batch, units, units, paddedBatch);
      kernels.matmul(heapOffset(kernel, backend), at(dzTAt), 0, at(dhTAt), inputUnits, units, paddedBatch, 0, 0, 0);
      // Back to [batch, in] and through the previous layer's activation: relu's gradient is dy · step(x).
      kernels.transpose(at(dhTAt), at(dz), inputUnits, batch, paddedBatch, inputUnits);
      if (layers[l - 1]!.relu) kernels.relu_grad(at(dz), hiddenAt[l - 1]!, at(dz), batch * inputUnits);
    }

    const lossOut = backend.makeOutput([], 'float32', undefined, new Float32Array([loss]));
    temporaries.splice(temporaries.indexOf(predictions), 1);
    return [predictions, lossOut, ...next];
  } catch (error) {
    for (const info of next) disposeInfo(info, backend);
    throw error;
  } finally {
    for (const info of temporaries) disposeInfo(info, backend);
  }
}
