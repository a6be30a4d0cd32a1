import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { smallMatMul, useSmallMatMul } from './small-mat-mul.js';
import { disposeInfo, swapLastTwo, transposeInfo } from './wasm-kernel-calls.js';

/**
 * Builds wasm's `BatchMatMul` replacement around the stock kernel `stock`.
 * XNNPACK is fast only on the plain `a · b` layout; with `transposeA` or
 * `transposeB` the stock kernel is 5-14x slower than an explicit Transpose
 * followed by the plain product, and every dense layer's gradient asks for one
 * (`dW = xᵀ · dy`, `dx = dy · Wᵀ`). So transposed operands are materialised
 * first and the stock kernel runs untransposed.
 *
 * Products of few rows (a training batch times a weight matrix) run on the
 * small-batch kernel ({@link smallMatMul}), which gives the stock kernel's
 * result to the bit without repacking weights that SGD replaces every step.
 */
export function makeBatchMatMulWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    // Non-float inputs are left to the stock kernel, which reports them.
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    if (!transposeA && !transposeB) return useSmallMatMul(a, b, backend) ? smallMatMul(a, b, undefined, false, backend) : stock(args);
    const aPlain = transposeA ? transposeInfo(a, swapLastTwo(a.shape.length), backend) : a;
    const bPlain = transposeB ? transposeInfo(b, swapLastTwo(b.shape.length), backend) : b;
    try {
      if (useSmallMatMul(aPlain, bPlain, backend)) return smallMatMul(aPlain, bPlain, undefined, false, backend);
      return stock({
        inputs: { a: aPlain, b: bPlain },
        backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      if (transposeA) disposeInfo(aPlain, backend);
      if (transposeB) disposeInfo(bPlain, backend);
    }
  };
}
