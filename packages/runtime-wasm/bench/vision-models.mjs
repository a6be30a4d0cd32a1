// tfjs-layers builders of the vision models the runtime-wasm parity tests and benches train.
// tf.layers has no MobileNet builder; this follows keras.applications.MobileNetV2
// (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks").
import * as tf from '@tensorflow/tfjs';

/** keras.applications' `_make_divisible`: rounds channel counts to multiples of 8, never below 90 %. */
function makeDivisible(v, divisor = 8) {
  let newV = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (newV < 0.9 * v) newV += divisor;
  return newV;
}

const bn = (name) => tf.layers.batchNormalization({ momentum: 0.999, epsilon: 1e-3, name });
const relu6 = (name) => tf.layers.reLU({ maxValue: 6, name });

/** keras.applications' `correct_pad` for a 3x3 stride-2 depthwise conv: pads so 'valid' halves the size. */
function correctPad(size) {
  const [h, w] = size;
  return [
    [1 - (h % 2), 1],
    [1 - (w % 2), 1],
  ];
}

function invertedResBlock(x, expansion, stride, alpha, filters, blockId) {
  const inChannels = x.shape[x.shape.length - 1];
  const pointwiseFilters = makeDivisible(Math.floor(filters * alpha));
  const prefix = `block_${blockId}_`;
  const input = x;
  if (blockId > 0) {
    x = tf.layers.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }).apply(x);
    x = bn(`${prefix}expand_BN`).apply(x);
    x = relu6(`${prefix}expand_relu`).apply(x);
  }
  if (stride === 2) x = tf.layers.zeroPadding2d({ padding: correctPad(x.shape.slice(1, 3)), name: `${prefix}pad` }).apply(x);
  x = tf.layers
    .depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise` })
    .apply(x);
  x = bn(`${prefix}depthwise_BN`).apply(x);
  x = relu6(`${prefix}depthwise_relu`).apply(x);
  x = tf.layers.conv2d({ filters: pointwiseFilters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }).apply(x);
  x = bn(`${prefix}project_BN`).apply(x);
  if (inChannels === pointwiseFilters && stride === 1) return tf.layers.add({ name: `${prefix}add` }).apply([input, x]);
  return x;
}

/** [filters, stride, expansion] of MobileNetV2's 17 inverted residual blocks. */
const BLOCKS = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6],
  [64, 1, 6], [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

/**
 * MobileNetV2 as keras.applications builds it (inverted residual blocks, DepthwiseConv2D,
 * BatchNormalization, ReLU6, ZeroPadding2D before stride-2 depthwise convs), with a softmax head.
 * `mobileNetV2({ alpha: 1, inputShape: [224, 224, 3], classes: 1000 })` has 3,538,984 parameters.
 */
export function mobileNetV2({ alpha = 1, inputShape = [224, 224, 3], classes = 1000 } = {}) {
  const input = tf.input({ shape: inputShape, name: 'input' });
  let x = tf.layers
    .conv2d({ filters: makeDivisible(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' })
    .apply(input);
  x = bn('bn_Conv1').apply(x);
  x = relu6('Conv1_relu').apply(x);
  BLOCKS.forEach(([filters, stride, expansion], i) => {
    x = invertedResBlock(x, expansion, stride, alpha, filters, i);
  });
  x = tf.layers.conv2d({ filters: alpha > 1 ? makeDivisible(1280 * alpha) : 1280, kernelSize: 1, useBias: false, name: 'Conv_1' }).apply(x);
  x = bn('Conv_1_bn').apply(x);
  x = relu6('out_relu').apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x);
  const output = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x);
  return tf.model({ inputs: input, outputs: output, name: `mobilenetv2_${alpha}_${inputShape[0]}` });
}

function residualBlock(x, filters, stride, name) {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false, name: `${name}_conv1` }).apply(x);
  y = tf.layers.batchNormalization({ name: `${name}_bn1` }).apply(y);
  y = tf.layers.activation({ activation: 'relu', name: `${name}_relu1` }).apply(y);
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_conv2` }).apply(y);
  y = tf.layers.batchNormalization({ name: `${name}_bn2` }).apply(y);
  let shortcut = x;
  if (stride !== 1 || x.shape[3] !== filters) {
    shortcut = tf.layers.conv2d({ filters, kernelSize: 1, strides: stride, useBias: false, name: `${name}_proj` }).apply(x);
    shortcut = tf.layers.batchNormalization({ name: `${name}_proj_bn` }).apply(shortcut);
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]);
  return tf.layers.activation({ activation: 'relu', name: `${name}_out` }).apply(sum);
}

/**
 * A small ResNet (He et al. 2016, basic blocks): conv3x3-BN-ReLU stem, max pooling, one identity
 * block and one stride-2 block with a 1x1 projection shortcut, global average pooling, softmax.
 */
export function smallResNet({ inputShape = [16, 16, 3], classes = 10, width = 8 } = {}) {
  const input = tf.input({ shape: inputShape, name: 'input' });
  let x = tf.layers.conv2d({ filters: width, kernelSize: 3, padding: 'same', useBias: false, name: 'stem_conv' }).apply(input);
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x);
  x = tf.layers.activation({ activation: 'relu', name: 'stem_relu' }).apply(x);
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'stem_pool' }).apply(x);
  x = residualBlock(x, width, 1, 'res1');
  x = residualBlock(x, 2 * width, 2, 'res2');
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x);
  const output = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x);
  return tf.model({ inputs: input, outputs: output, name: 'small_resnet' });
}
