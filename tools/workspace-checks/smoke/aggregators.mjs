// Smoke test for @fedkit/aggregators installed from its tarball.
import { StructSpec, TensorSpec } from '@fedkit/core';
import { coordinateMedian, RdpAccountant } from '@fedkit/aggregators';

const agg = coordinateMedian().create(new StructSpec([new TensorSpec([1])]));
const { result } = await agg.next(agg.initialize(), [[Float32Array.of(1)], [Float32Array.of(9)], [Float32Array.of(3)]]);
if (result[0][0] !== 3) throw new Error(`median gave ${result[0][0]}`);
const acc = new RdpAccountant();
acc.compose(0.04, 1.5, 2250);
const eps = acc.getEpsilon(1e-5);
if (Math.abs(eps - 7.329) > 0.08) throw new Error(`epsilon ${eps}`);
console.log('@fedkit/aggregators ok');
