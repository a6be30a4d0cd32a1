import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { smallMatMul, useSmallMatMul } from './small-mat-mul.js';

/**
 * Builds wasm's `_FusedMatMul` replacement around the stock kernel `stock`:
 * the forward pass of a Dense layer (`x · W + bias`, then its activation) when
 * tfjs fuses it, which it does under a gradient tape for a linear activation
 * and always outside one. Plain layouts with no activation or relu, and a bias
 * of one value per output column or none, run on the small-batch kernel
 * ({@link smallMatMul}) when it applies; the result equals the stock kernel's
 * to the bit. Everything else (transposed operands, other activations, PReLU
 * weights) is the stock kernel's.
 */
export function makeFusedMatMulWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { transposeA, transposeB, activation } = args.attrs as unknown as tf._FusedMatMulAttrs;
    const { a, b, bias, preluActivationWeights } = args.inputs as unknown as tf._FusedMatMulInputs;
    const backend = args.backend as BackendWasm;
    const n = b.shape[b.shape.length - 1];
    const plain =
      !transposeA &&
      !transposeB &&
      (activation === 'linear' || activation === 'relu') &&
      preluActivationWeights == null &&
      (bias == null || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === n));
    if (!plain || !useSmallMatMul(a, b, backend)) return stock(args);
    return smallMatMul(a, b, bias ?? undefined, activation === 'relu', backend);
  };
}
