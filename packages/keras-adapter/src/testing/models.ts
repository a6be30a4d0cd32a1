import * as tf from '@tensorflow/tfjs';

/** Keras's TFF test model: Dense(1) over `features` inputs. */
export function linearModel(features: number, init: 'zeros' | 'ones' = 'zeros', l2 = 0): tf.LayersModel {
  const regularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [features],
        units: 1,
        kernelInitializer: init,
        biasInitializer: init,
        ...(regularizer ? { kernelRegularizer: regularizer, biasRegularizer: regularizer } : {}),
      }),
    ],
  });
}

/** TFF's `build_multiple_outputs_keras_model`: inputs a, b; outputs Dense(a), Dense(b), Dense(concat(Dense(a), Dense(b))). */
export function threeOutputModel(init: 'zeros' | 'ones' = 'zeros', l2 = 0): tf.LayersModel {
  const dense = () =>
    tf.layers.dense({
      units: 1,
      kernelInitializer: init,
      biasInitializer: init,
      ...(l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2 }), biasRegularizer: tf.regularizers.l2({ l2 }) } : {}),
    });
  const a = tf.input({ shape: [1], name: 'a' });
  const b = tf.input({ shape: [1], name: 'b' });
  const outA = dense().apply(a) as tf.SymbolicTensor;
  const outB = dense().apply(b) as tf.SymbolicTensor;
  const hidden = tf.layers.concatenate().apply([dense().apply(a) as tf.SymbolicTensor, dense().apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const outC = dense().apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: [outA, outB, outC] });
}
