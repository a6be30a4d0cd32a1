import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfo, runWasmKernel, transposeInfo } from './wasm-kernel-calls.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships none (so stock wasm
 * cannot train any Conv2D model).
 *
 * The filter gradient is itself a convolution:
 * `dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·sh + kh − top, ow·sw + kw − left, ci] · dy[b,oh,ow,co]`.
 * Read `ci` as the batch, `b` as the input channel and `(oh, ow)` as filter taps
 * spaced by the forward stride, and this is a stride-1 conv2d with dilation
 * `(sh, sw)` of `x' = x` as `[ci, H, W, B]` by `dy' = dy` as `[OH, OW, B, co]`,
 * giving `[ci, KH, KW, co]`, which wasm runs through XNNPACK. Zero padding stands
 * for the taps the reference kernel skips, so the bottom/right padding is
 * stretched or the extra rows are cut to make the result exactly `KH × KW`.
 * Gradients never carry dilations (tfjs's Conv2D gradient rejects them), so the
 * kernel has none to honour.
 */
export function conv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: {};
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;

  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const { inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  const channelsLast = info.dataFormat === 'channelsLast';

  // Padding after the input that makes the dilated "filter" (dy) end exactly at
  // tap KH-1; when the forward padding was larger, the surplus rows are cut below.
  const bottom = Math.max(0, filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top);
  const right = Math.max(0, filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left);

  const xT = transposeInfo(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0], backend);
  const dyT = transposeInfo(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1], backend);
  let conv: tf.TensorInfo;
  try {
    conv = runWasmKernel('Conv2D', { x: xT, filter: dyT }, backend, {
      strides: [1, 1],
      dilations: [strideHeight, strideWidth],
      pad: [
        [0, 0],
        [padInfo.top, bottom],
        [padInfo.left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    });
  } finally {
    disposeInfo(xT, backend);
    disposeInfo(dyT, backend);
  }

  // [ci, R, C, co] with R >= KH, C >= KW  ->  [KH, KW, ci, co]
  const out = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  // Views are taken after makeOutput: an allocation may grow the heap and detach older views.
  const src = backend.typedArrayFromHeap(conv) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const [, rows, cols] = conv.shape as [number, number, number, number];
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const from = ((ci * rows + kh) * cols + kw) * outChannels;
        const to = ((kh * filterWidth + kw) * inChannels + ci) * outChannels;
        dst.set(src.subarray(from, from + outChannels), to);
      }
    }
  }
  disposeInfo(conv, backend);
  return out;
}
