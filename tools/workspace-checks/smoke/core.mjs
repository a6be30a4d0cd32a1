// Smoke test for @fedkit/core installed from its tarball.
import * as tf from '@tensorflow/tfjs';
import { TensorSpec, StructSpec, checkCompatible, sumThenFinalize, createFedkitContainer, selectRuntime, ValueError } from '@fedkit/core';

const spec = new StructSpec({ x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') });
if (spec.toString() !== '<x=float32[?,784],y=int32[?,1]>') throw new Error(`unexpected spec ${spec}`);
const x = tf.zeros([2, 784]);
const y = tf.zeros([2, 1], 'float32');
try {
  checkCompatible(spec, { x, y });
  throw new Error('checkCompatible accepted a float32 label');
} catch (e) {
  if (!(e instanceof ValueError)) throw e;
}
const acc = sumThenFinalize({ acc: ([c, n]) => c / n }, [{ acc: [3, 4] }, { acc: [1, 6] }]).acc;
if (acc !== 0.4) throw new Error(`sumThenFinalize gave ${acc}`);
const { runtime } = await selectRuntime(createFedkitContainer());
console.log(`${runtime.name} runtime`);
console.log('@fedkit/core ok');
