import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { heapFloat32, type SimdKernels } from './simd-kernels.js';

/**
 * The kernels of `simd-kernels.wat` in plain JavaScript on `backend`'s heap,
 * for engines where the SIMD module cannot run (no wasm SIMD, the threaded
 * build): the same f32 operations in the same order (`Math.fround` after each
 * multiply and add; an f32 operation computed in f64 and rounded once is the
 * f32 result), so the same bits, slower.
 */
export function scalarKernels(backend: BackendWasm): SimdKernels {
  const heap = (): Float32Array => heapFloat32(backend);
  return {
    matmul(a, b, bias, out, m, k, n, relu, w, c) {
      const h = heap();
      const [pa, pb, pbias, po, pw, cf] = [a >> 2, b >> 2, bias >> 2, out >> 2, w >> 2, Math.fround(c)];
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = bias === 0 ? 0 : h[pbias + j]!;
          for (let t = 0; t < k; t++) acc = Math.fround(acc + Math.fround(h[pa + i * k + t]! * h[pb + t * n + j]!));
          if (relu !== 0 && !(0 < acc)) acc = 0;
          h[po + i * n + j] = w === 0 ? acc : Math.fround(h[pw + i * n + j]! + Math.fround(cf * acc));
        }
      }
    },
    sgd_update(w, g, out, n, c) {
      const h = heap();
      const cf = Math.fround(c);
      for (let i = 0; i < n; i++) h[(out >> 2) + i] = Math.fround(h[(w >> 2) + i]! + Math.fround(cf * h[(g >> 2) + i]!));
    },
    transpose(src, dst, rows, cols, srcStride, dstStride) {
      const h = heap();
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) h[(dst >> 2) + c * dstStride + r] = h[(src >> 2) + r * srcStride + c]!;
    },
    bias_relu(z, bias, rows, cols) {
      const h = heap();
      for (let m = 0; m < rows; m++) {
        for (let n = 0; n < cols; n++) {
          const v = bias === 0 ? h[(z >> 2) + m * cols + n]! : Math.fround(h[(z >> 2) + m * cols + n]! + h[(bias >> 2) + n]!);
          h[(z >> 2) + m * cols + n] = 0 < v ? v : 0;
        }
      }
    },
    relu_grad(g, hOut, out, n) {
      const h = heap();
      for (let i = 0; i < n; i++) h[(out >> 2) + i] = Math.fround(h[(g >> 2) + i]! * (h[(hOut >> 2) + i]! > 0 ? 1 : 0));
    },
    column_sums(src, out, rows, cols) {
      const h = heap();
      for (let n = 0; n < cols; n++) {
        let acc = 0;
        for (let m = 0; m < rows; m++) acc = Math.fround(acc + h[(src >> 2) + m * cols + n]!);
        h[(out >> 2) + n] = acc;
      }
    },
  };
}
