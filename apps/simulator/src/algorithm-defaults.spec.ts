import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';
import { createFedkitContainer, pluginNames } from '@fedkit/core';
import { ALGORITHM_PLUGIN } from '@fedkit/learning';
import { filter, firstValueFrom, map } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { mnist2nn } from './builtin-tasks.js';
import { prepareRun } from './prepare-run.js';
import { registerBuiltins } from './register-builtins.js';
import { DEFAULT_CONFIG, mergeConfig } from './simulator-config.js';

// Issue 15: fedadam/fedadagrad with their old default server lr (0.1) collapsed the default task to 10%.
// Every registered algorithm, with its defaults on the default task (mnist-2nn, 100 IID clients, 10 per
// round, E = 1, B = 10), must beat the initial model's test accuracy by a clear margin within 20 rounds.
// Each run stops at the first round that does, which keeps the suite cheap (one to a few rounds each).
const MARGIN = 0.2;
const ROUNDS = 20;

const algorithms = pluginNames(registerBuiltins(createFedkitContainer()), ALGORITHM_PLUGIN);

/** Accuracy of the untrained model (the run's seed) on the same test set the simulator scores. */
async function initialAccuracy(): Promise<number> {
  const data = await mnist2nn.loadData({ seed: DEFAULT_CONFIG.seed, splitSeed: 0 });
  const model = mnist2nn.createKerasModel(DEFAULT_CONFIG.seed);
  const correct = tf.tidy(() => {
    const x = tf.tensor2d(data.test.x, [data.test.numExamples, 784]);
    const predicted = (model.predict(x) as tf.Tensor).argMax(-1);
    return tf.equal(predicted, tf.tensor1d(data.test.y, 'int32')).sum().dataSync()[0]!;
  });
  model.dispose();
  return correct / data.test.numExamples;
}

const baseline = initialAccuracy();

describe('every built-in algorithm with its defaults improves the default task within 20 rounds', () => {
  it('lists the algorithms the CLI offers', () => {
    expect(algorithms).toEqual(expect.arrayContaining(['fedavg', 'fedadam', 'fedadagrad', 'fedyogi', 'fedsgd', 'scaffold', 'qfedavg']));
  });

  it.each(algorithms)('%s', async (algorithm) => {
    const initial = await baseline;
    expect(initial).toBeLessThan(0.3); // an untrained 10-class model, else the margin proves little
    const run = await prepareRun(
      mergeConfig(DEFAULT_CONFIG, { algorithm, rounds: ROUNDS, workers: 0, checkpointEvery: 1000, out: mkdtempSync(join(tmpdir(), `defaults-${algorithm}-`)) }),
    );
    // The first round whose test accuracy clears the margin, or the last round's if none does (the stream ends).
    const evaluated = await firstValueFrom(
      run.events.pipe(
        filter((e) => e.kind === 'evaluated'),
        map((e) => ({ round: e.round, accuracy: e.centralized!['sparse_categorical_accuracy'] as number })),
        filter((e) => e.accuracy > initial + MARGIN || e.round === ROUNDS),
      ),
    );
    expect(evaluated.accuracy, `${algorithm}: round ${evaluated.round}, initial accuracy ${initial}`).toBeGreaterThan(initial + MARGIN);
    expect(evaluated.round).toBeLessThanOrEqual(ROUNDS);
  }, 300_000);
});
