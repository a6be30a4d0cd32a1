// Smoke test for @fedkit/metrics installed from its tarball: the README example.
import * as tf from '@tensorflow/tfjs';
import { sumThenFinalize, createFedkitContainer, resolveMetric } from '@fedkit/core';
import { SparseCategoricalAccuracy, registerMetrics } from '@fedkit/metrics';

const a = new SparseCategoricalAccuracy();
const b = new SparseCategoricalAccuracy();
a.updateState(tf.tensor1d([1, 0], 'int32'), tf.tensor2d([[0.1, 0.9], [0.2, 0.8]]));
b.updateState(tf.tensor1d([0], 'int32'), tf.tensor2d([[0.7, 0.3]]));
const { acc } = sumThenFinalize({ acc: (s) => a.finalize(s) }, [{ acc: a.unfinalizedState() }, { acc: b.unfinalizedState() }]);
if (Math.abs(acc - 2 / 3) > 1e-6) throw new Error(`federated accuracy gave ${acc}`);
const container = registerMetrics(createFedkitContainer());
if (resolveMetric(container, 'auc').name !== 'auc') throw new Error('auc not registered');
console.log('@fedkit/metrics ok');
