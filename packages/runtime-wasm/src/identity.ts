import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Builds wasm's `Identity` (what `tf.clone` and the gradient tape's saved
 * inputs run) around the stock kernel: the result shares the input's memory
 * (one more reference on the wasm heap), as the cpu backend's Identity and
 * wasm's own Reshape do, instead of copying it. The tape saves every input of
 * every op for the backward pass, so stock wasm copied each weight matrix
 * once per training step (627 kB for the 2NN's first layer). No wasm kernel
 * writes into its inputs, so sharing is safe. Strings go to the stock kernel.
 */
export function makeIdentityWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    if (x.dtype === 'string') return stock(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
