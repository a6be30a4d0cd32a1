import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Builds wasm's `Tile` replacement around the stock kernel `stock`, which
 * computes every output element's source index (about 50 ms per
 * BatchNormalization layer of a 224x224 MobileNetV2 at batch 2, a third of a
 * training step: tfjs's batchNorm gradient tiles the per-channel mean, variance
 * and scale to the input's full shape).
 *
 * In row-major order the output is, along each axis from the innermost out,
 * one filled block repeated `reps` times back to back; so each block is written
 * once and then doubled with `copyWithin` (memmove), log2(reps) copies per axis.
 * Strings go to the stock kernel.
 */
export function makeTileWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    if (x.dtype === 'string' || x.dtype === 'complex64') return stock(args);
    const inShape = x.shape;
    const rank = inShape.length;
    const outShape = inShape.map((d, i) => d * reps[i]!);
    const out = backend.makeOutput(outShape, x.dtype);
    const size = outShape.reduce((p, d) => p * d, 1);
    if (size === 0) return out;
    // Views are taken after makeOutput: an allocation may grow the heap and detach older views.
    const src = backend.typedArrayFromHeap(x) as Float32Array;
    const dst = backend.typedArrayFromHeap(out) as Float32Array;
    if (rank === 0) {
      dst[0] = src[0]!;
      return out;
    }
    const outStrides = new Array<number>(rank);
    const inStrides = new Array<number>(rank);
    outStrides[rank - 1] = 1;
    inStrides[rank - 1] = 1;
    for (let d = rank - 2; d >= 0; d--) {
      outStrides[d] = outStrides[d + 1]! * outShape[d + 1]!;
      inStrides[d] = inStrides[d + 1]! * inShape[d + 1]!;
    }
    const fill = (d: number, srcOffset: number, dstOffset: number): void => {
      const block = inShape[d]! * outStrides[d]!;
      if (d === rank - 1) {
        dst.set(src.subarray(srcOffset, srcOffset + inShape[d]!), dstOffset);
      } else {
        for (let i = 0; i < inShape[d]!; i++) fill(d + 1, srcOffset + i * inStrides[d]!, dstOffset + i * outStrides[d]!);
      }
      const total = block * reps[d]!;
      for (let filled = block; filled < total; filled *= 2) {
        dst.copyWithin(dstOffset + filled, dstOffset, dstOffset + Math.min(filled, total - filled));
      }
    };
    fill(0, 0, 0);
    return out;
  };
}
