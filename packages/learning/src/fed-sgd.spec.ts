import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { buildFedSgd } from './fed-sgd.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

describe('buildFedSgd', () => {
  it('equals one step of centralized SGD on the union of the clients\' data within 1e-5', async () => {
    const a = { x: [[1, 2], [3, 4]], y: [[5], [6]] };
    const b = { x: [[0, 1]], y: [[2]] };
    const process = buildFedSgd({ modelFn: () => new LinearModel([0.5, -0.5], 0.1) });
    const out = await process.next(process.initialize(), [datasetOf([a]), datasetOf([b])]);

    const central = new LinearModel([0.5, -0.5], 0.1);
    const opt = tf.train.sgd(0.1); // buildFedSgd's default server optimizer is sgd(0.1)
    const x = tf.tensor2d([...a.x, ...b.x]);
    const y = tf.tensor2d([...a.y, ...b.y]);
    opt.minimize(() => central.forwardPass({ x, y }).loss, false, central.trainableVariables);
    const expected = central.trainableVariables.map((v) => Array.from(v.dataSync()));
    tf.dispose([x, y]);
    opt.dispose();
    central.dispose();

    const got = out.state.globalModelWeights.trainable.map((w) => Array.from(w));
    got.forEach((w, i) => w.forEach((v, k) => expect(Math.abs(v - expected[i]![k]!)).toBeLessThan(1e-5)));
    // and it moved: at w=[0.5,-0.5], b=0.1 the union gradient is not zero
    expect(got[0]![0]).not.toBeCloseTo(0.5, 3);
    expect(out.metrics.client_work.train['num_examples']).toBe(3);
  });
});
