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

const classIds = tf.tensor1d(Array.from({ length: BATCH }, (_, i) => (i * 7) % CLASSES), 'int32');
const BINARY = [
  'binary_accuracy', 'binary_crossentropy', 'precision', 'recall', 'auc', 'true_positives', 'false_positives',
  'true_negatives', 'false_negatives', 'sensitivity_at_specificity', 'specificity_at_sensitivity', 'precision_at_recall',
  'recall_at_precision', 'binary_iou', 'hinge', 'squared_hinge',
];
const inputs = (name) =>
  name.startsWith('sparse') ? [labels, probs]
  : BINARY.includes(name) ? [binY, binP]
  : name === 'iou' || name === 'mean_iou' ? [labels, classIds]
  : [oneHot, probs];

// Options the metrics cannot be built without (their target or the size of their state).
const REQUIRED = {
  sensitivity_at_specificity: { specificity: 0.5 },
  specificity_at_sensitivity: { sensitivity: 0.5 },
  precision_at_recall: { recall: 0.5 },
  recall_at_precision: { precision: 0.5 },
  f1_score: { numClasses: CLASSES },
  fbeta_score: { numClasses: CLASSES },
  iou: { numClasses: CLASSES, targetClassIds: [0, 1, 2] },
  mean_iou: { numClasses: CLASSES },
  one_hot_iou: { numClasses: CLASSES, targetClassIds: [0, 1, 2] },
  one_hot_mean_iou: { numClasses: CLASSES },
  r2_score: { numOutputs: CLASSES },
};
// Extra configurations: the multi-label AUC keeps CLASSES times the counts.
const EXTRA = [['auc multiLabel (10 labels)', 'auc_multi', { multiLabel: true, numLabels: CLASSES }]];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(`backend ${tf.getBackend()}, batch ${BATCH}x${CLASSES}, ${REPS} reps, median per call`);
console.log('metric'.padEnd(36), 'updateState ms'.padStart(15), 'unfinalizedState ms'.padStart(20), 'state length'.padStart(13));
const AucClass = BUILT_IN_METRICS.find(([, [n]]) => n === 'auc')[0];
const runs = [
  ...BUILT_IN_METRICS.map(([MetricClass, [name]]) => [name, () => new MetricClass(REQUIRED[name] ?? {}), inputs(name)]),
  ...EXTRA.map(([label, , config]) => [label, () => new AucClass(config), [oneHot, probs]]),
];
for (const [name, make, [y, p]] of runs) {
  const m = make();
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
