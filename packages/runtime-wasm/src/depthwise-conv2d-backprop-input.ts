import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { disposeInfo, runWasmKernel } from './wasm-kernel-calls.js';

/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend, which ships none.
 *
 * `dx[b,ih,iw,c] = Σ dy[b,oh,ow,c·m+q] · W[kh,kw,c,q]` over the taps where
 * `ih = oh·sh + kh·dh − top` and `iw = ow·sw + kw·dw − left`: one pass over dy
 * in JavaScript on the wasm heap that scatters each dy entry into the inputs it
 * came from, channels innermost (contiguous in NHWC). Handles every stride,
 * padding and depth multiplier, with as many multiply-adds as the forward pass.
 *
 * The common MobileNet case (stride 1, multiplier 1, no dilation, padding at
 * most the filter size − 1) is instead a stride-1 depthwise conv of dy with the
 * filter rotated 180°, padded `KH−1−top` / `KH−1−bottom`, which wasm runs
 * through XNNPACK about 7x faster than the loop.
 */
export function depthwiseConv2DBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: {};
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const m = outChannels / inChannels;

  const viaForwardConv =
    m === 1 &&
    strideHeight === 1 &&
    strideWidth === 1 &&
    dilationHeight === 1 &&
    dilationWidth === 1 &&
    Math.max(padInfo.top, padInfo.bottom) <= filterHeight - 1 &&
    Math.max(padInfo.left, padInfo.right) <= filterWidth - 1;
  if (viaForwardConv) {
    const flipped = backend.makeOutput([filterHeight, filterWidth, inChannels, 1], 'float32');
    const w = backend.typedArrayFromHeap(filter) as Float32Array;
    const f = backend.typedArrayFromHeap(flipped) as Float32Array;
    for (let a = 0; a < filterHeight; a++) {
      for (let b = 0; b < filterWidth; b++) {
        const from = ((filterHeight - 1 - a) * filterWidth + (filterWidth - 1 - b)) * inChannels;
        f.set(w.subarray(from, from + inChannels), (a * filterWidth + b) * inChannels);
      }
    }
    try {
      return runWasmKernel('DepthwiseConv2dNative', { x: dy, filter: flipped }, backend, {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [filterHeight - 1 - padInfo.top, filterHeight - 1 - padInfo.bottom],
          [filterWidth - 1 - padInfo.left, filterWidth - 1 - padInfo.right],
          [0, 0],
        ],
      });
    } finally {
      disposeInfo(flipped, backend);
    }
  }

  const out = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  // Views are taken after makeOutput: an allocation may grow the heap and detach older views.
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - padInfo.top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw * dilationWidth - padInfo.left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const wBase = (kh * filterWidth + kw) * outChannels;
            if (m === 1) {
              for (let c = 0; c < inChannels; c++) dx[xBase + c]! += w[wBase + c]! * dys[dyBase + c]!;
            } else {
              for (let c = 0; c < inChannels; c++) {
                const o = c * m;
                let s = 0;
                for (let q = 0; q < m; q++) s += w[wBase + o + q]! * dys[dyBase + o + q]!;
                dx[xBase + c]! += s;
              }
            }
          }
        }
      }
    }
  }
  return out;
}
