import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which ships none
 * (so stock wasm cannot train DepthwiseConv2D, SeparableConv2D, MobileNets).
 *
 * `dW[kh,kw,c,q] = Σ_{b,oh,ow} x[b, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c] · dy[b,oh,ow,c·m+q]`
 * is a per-channel correlation that no wasm kernel expresses without wasting a
 * factor of the channel count (a dense conv over channel-swapped tensors would
 * compute every channel pair and keep the diagonal), so it is one pass over dy
 * in JavaScript on the wasm heap, channels innermost (contiguous in NHWC), with
 * float64 accumulators: as many multiply-adds as the forward pass.
 */
export function depthwiseConv2DBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: {};
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } = info;
  const m = outChannels / inChannels;

  const acc = new Float64Array(filterHeight * filterWidth * outChannels);
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
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
              for (let c = 0; c < inChannels; c++) acc[wBase + c]! += xs[xBase + c]! * dys[dyBase + c]!;
            } else {
              for (let c = 0; c < inChannels; c++) {
                const xv = xs[xBase + c]!;
                const o = c * m;
                for (let q = 0; q < m; q++) acc[wBase + o + q]! += xv * dys[dyBase + o + q]!;
              }
            }
          }
        }
      }
    }
  }
  const out = backend.makeOutput([filterHeight, filterWidth, inChannels, m], 'float32');
  (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
  return out;
}
