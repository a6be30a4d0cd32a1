// Cost of one updateState (batch of 32, 10 classes) and of one unfinalizedState per metric, on the
// active tfjs backend (cpu here). Run after a build: `node bench/update-state.mjs` in packages/metrics.
import * as tf from '@tensorflow/tfjs';
import { BUILT_IN_METRICS } from '@fedkit/metrics';

const BATCH = 32;
const CLASSES = 10;
const REPS = 200;

await tf.ready();
const labels = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % CLASSES), 'int32');
const oneHot = tf.oneHot(labels, CLASSES).toFloat();
const probs = tf.softmax(tf.randomNormal([BATCH, CLASSES], 0, 1, 'float32', 1));
const binY = tf.tensor2d(Array.from({ length: BATCH }, (_, i) => [i % 2]));
const binP = tf.randomUniform([BATCH, 1], 0, 1, 'float32', 2);
const weights = tf.ones([BATCH]);

const inputs = (name) =>
  name.startsWith('sparse') ? [labels, probs]
  : ['binary_accuracy', 'binary_crossentropy', 'precision', 'recall', 'auc'].includes(name) ? [binY, binP]
  : [oneHot, probs];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(`backend ${tf.getBackend()}, batch ${BATCH}x${CLASSES}, ${REPS} reps, median per call`);
console.log('metric'.padEnd(36), 'updateState ms'.padStart(15), 'unfinalizedState ms'.padStart(20), 'state length'.padStart(13));
for (const [MetricClass, [name]] of BUILT_IN_METRICS) {
  const m = new MetricClass({});
  const [y, p] = inputs(name);
  for (let i = 0; i < 20; i++) m.updateState(y, p, weights);
  const up = [];
  const read = [];
  for (let i = 0; i < REPS; i++) {
    let t = performance.now();
    m.updateState(y, p, weights);
    up.push(performance.now() - t);
    t = performance.now();
    m.unfinalizedState();
    read.push(performance.now() - t);
  }
  console.log(name.padEnd(36), median(up).toFixed(3).padStart(15), median(read).toFixed(3).padStart(20), String(m.unfinalizedState().length).padStart(13));
  m.dispose();
}
