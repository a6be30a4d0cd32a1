import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';

import { scalarKernels } from './scalar-kernels.js';
import { heapFloat32, heapOffset, simdKernelsFor, type SimdKernels } from './simd-kernels.js';
import { seededValues } from './testing/fixtures.js';
import { activateWasm } from './wasm-runtime.js';

/** Heap buffers for one comparison: inputs filled with seeded values, outputs with NaN. */
function buffers(backend: BackendWasm, sizes: Record<string, number>): Record<string, tf.TensorInfo> {
  const out: Record<string, tf.TensorInfo> = {};
  let seed = 1;
  for (const [name, n] of Object.entries(sizes)) {
    const values = name.startsWith('out') ? new Float32Array(n).fill(Number.NaN) : seededValues(n, seed++);
    out[name] = backend.makeOutput([n], 'float32', undefined, values);
  }
  return out;
}

/** Runs `call` with the SIMD kernels and with the scalar ones on the same inputs; returns both outputs' bits. */
function both(sizes: Record<string, number>, call: (k: SimdKernels, at: (name: string) => number) => void, output = 'out'): [Uint32Array, Uint32Array] {
  const backend = tf.backend() as BackendWasm;
  const results = [simdKernelsFor(backend)!, scalarKernels(backend)].map((kernels) => {
    const infos = buffers(backend, sizes);
    call(kernels, (name) => heapOffset(infos[name]!, backend));
    const at = heapOffset(infos[output]!, backend) >> 2;
    const bits = new Uint32Array(heapFloat32(backend).slice(at, at + sizes[output]!).buffer);
    for (const info of Object.values(infos)) backend.disposeData(info.dataId);
    return bits;
  });
  return [results[0]!, results[1]!];
}

describe('the scalar kernels (the fallback without wasm SIMD)', () => {
  beforeAll(async () => {
    await activateWasm();
  });

  it.each([
    [10, 784, 200],
    [7, 5, 13],
    [784, 10, 200],
    [200, 200, 16],
  ])('compute matmul as the SIMD module does, to the bit: %i x %i x %i, with bias and relu', (m, k, n) => {
    const [simd, scalar] = both({ a: m * k, b: k * n, bias: n, out: m * n }, (kernels, at) =>
      kernels.matmul(at('a'), at('b'), at('bias'), at('out'), m, k, n, 1, 0, 0),
    );

    expect(scalar).toEqual(simd);
  });

  it.each([
    [784, 10, 200],
    [5, 3, 10],
  ])('compute the matmul with an SGD step (w + c · a · b) as the SIMD module does: %i x %i x %i', (m, k, n) => {
    const [simd, scalar] = both({ a: m * k, b: k * n, w: m * n, out: m * n }, (kernels, at) =>
      kernels.matmul(at('a'), at('b'), 0, at('out'), m, k, n, 0, at('w'), -0.1),
    );

    expect(scalar).toEqual(simd);
  });

  it('transpose with strides as the SIMD module does', () => {
    const [simd, scalar] = both({ src: 10 * 13, out: 13 * 16 }, (kernels, at) => kernels.transpose(at('src'), at('out'), 10, 11, 13, 16));

    expect(scalar).toEqual(simd);
  });

  it('add a bias and apply relu as the SIMD module does (7 columns: vector and scalar parts)', () => {
    const [simd, scalar] = both({ z: 3 * 7, bias: 7 }, (kernels, at) => kernels.bias_relu(at('z'), at('bias'), 3, 7), 'z');

    expect(scalar).toEqual(simd);
  });

  it("compute relu's gradient as the SIMD module does", () => {
    const [simd, scalar] = both({ g: 11, h: 11, out: 11 }, (kernels, at) => kernels.relu_grad(at('g'), at('h'), at('out'), 11));

    expect(scalar).toEqual(simd);
  });

  it('sum columns as the SIMD module does', () => {
    const [simd, scalar] = both({ src: 10 * 7, out: 7 }, (kernels, at) => kernels.column_sums(at('src'), at('out'), 10, 7));

    expect(scalar).toEqual(simd);
  });
});
