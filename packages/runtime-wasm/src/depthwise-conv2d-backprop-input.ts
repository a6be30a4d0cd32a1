import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend, which ships none.
 *
 * `dx[b,ih,iw,c] = Σ dy[b,oh,ow,c·m+q] · W[kh,kw,c,q]` over the taps where
 * `ih = oh·sh + kh·dh − top` and `iw = ow·sw + kw·dw − left`: one pass over dy
 * in JavaScript on the wasm heap that scatters each dy entry into the inputs it
 * came from, channels innermost (contiguous in NHWC). Handles every stride,
 * padding and depth multiplier, with as many multiply-adds as the forward pass.
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
