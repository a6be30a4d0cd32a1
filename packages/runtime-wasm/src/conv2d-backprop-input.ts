import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfo, runWasmKernel } from './wasm-kernel-calls.js';

/**
 * Builds wasm's `Conv2DBackpropInput` replacement around the stock kernel
 * `stock` (a naive loop, about 7x slower than the same arithmetic as a forward
 * conv).
 *
 * For stride 1 the input gradient is the "full" correlation of dy with the
 * filter rotated by 180° and with its in/out channels swapped:
 * `dx[b,i,j,ci] = Σ dy[b, i+a−(KH−1−top), j+c−(KW−1−left), co] · W[KH−1−a, KW−1−c, ci, co]`,
 * i.e. a stride-1 conv2d of dy with padding `(KH−1−top, KH−1−bottom)` and
 * `(KW−1−left, KW−1−right)`, run by XNNPACK. Strides above 1, NCHW data, padding
 * wider than the filter, or a dy whose size does not match the forward output
 * (possible through `conv2dTranspose`) go to the stock kernel, which is correct
 * for all of them.
 */
export function makeConv2DBackpropInputWasm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      tf.backend_util.convertConv2DDataFormat(dataFormat),
    );
    const { filterHeight: kh, filterWidth: kw, inChannels, outChannels, padInfo } = info;
    const fits =
      info.dataFormat === 'channelsLast' &&
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      dy.shape[1] === info.outHeight &&
      dy.shape[2] === info.outWidth &&
      Math.max(padInfo.top, padInfo.bottom) <= kh - 1 &&
      Math.max(padInfo.left, padInfo.right) <= kw - 1;
    if (!fits) return stock(args);

    // W[KH,KW,ci,co] -> rotated 180° and channel-swapped [KH,KW,co,ci]
    const flipped = backend.makeOutput([kh, kw, outChannels, inChannels], 'float32');
    const w = backend.typedArrayFromHeap(filter) as Float32Array;
    const f = backend.typedArrayFromHeap(flipped) as Float32Array;
    for (let a = 0; a < kh; a++) {
      for (let c = 0; c < kw; c++) {
        const fBase = (a * kw + c) * outChannels * inChannels;
        const wBase = ((kh - 1 - a) * kw + (kw - 1 - c)) * inChannels * outChannels;
        for (let ci = 0; ci < inChannels; ci++) {
          const wRow = wBase + ci * outChannels;
          for (let co = 0; co < outChannels; co++) f[fBase + co * inChannels + ci] = w[wRow + co]!;
        }
      }
    }
    try {
      return runWasmKernel('Conv2D', { x: dy, filter: flipped }, backend, {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [kh - 1 - padInfo.top, kh - 1 - padInfo.bottom],
          [kw - 1 - padInfo.left, kw - 1 - padInfo.right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      });
    } finally {
      disposeInfo(flipped, backend);
    }
  };
}
