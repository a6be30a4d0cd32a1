import * as tf from '@tensorflow/tfjs';
import { SparseCategoricalCrossentropy } from '@fedkit/losses';

import { errorText, type BackendName, type Backends } from './backends.js';
import { buildKerasModel, xShapeOf, type ModelName } from './fedavg-models.js';
import { syntheticExamples } from './synthetic-data.js';

/** One throughput case: training examples per second, or why it could not run. */
export interface ThroughputRow {
  readonly backend: BackendName;
  readonly model: ModelName;
  readonly batch: number;
  readonly examplesPerSecond?: number;
  /** Steps timed, and the seconds the first step took (shader compilation on a GPU). */
  readonly steps?: number;
  readonly firstStepSeconds?: number;
  readonly error?: string;
  readonly skipped?: string;
}

/** Part 3 settings. */
export interface ThroughputSizes {
  readonly batches: readonly number[];
  /** Seconds each case trains for after its warm-up. */
  readonly seconds: number;
  /** `performance.now()` after which no case starts (it is recorded as skipped). */
  readonly deadline: number;
}

const WARMUP_STEPS = 2;

/**
 * Training examples/s of the 2NN and the CNN at each batch size on webgpu and wasm (the fallback): a custom loop of
 * `optimizer.minimize` (plain SGD) on one resident synthetic batch, so the figure is the backend's compute and not
 * a data pipeline. The device is drained (an awaited read) before the clock stops.
 *
 * @example
 * ```ts
 * const rows = await throughput(backends, { batches: [10, 64, 256], seconds: 3, deadline: performance.now() + 480_000 });
 * ```
 */
export async function throughput(backends: Backends, sizes: ThroughputSizes): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const backend of (['webgpu', 'wasm'] as const).filter((b) => backends.available.includes(b))) {
    await backends.activate(backend);
    for (const model of ['2nn', 'cnn'] as const) {
      for (const batch of sizes.batches) {
        if (performance.now() > sizes.deadline) {
          rows.push({ backend, model, batch, skipped: "the check's --time-budget is spent" });
          continue;
        }
        try {
          rows.push({ backend, model, batch, ...(await timeTraining(model, batch, sizes.seconds)) });
          console.log(`[gpu-check] throughput ${backend} ${model} batch ${batch}: ${rows[rows.length - 1]!.examplesPerSecond!.toFixed(0)} ex/s`);
        } catch (e) {
          rows.push({ backend, model, batch, error: errorText(e) });
        }
      }
    }
  }
  return rows;
}

async function timeTraining(model: ModelName, batch: number, seconds: number): Promise<Pick<ThroughputRow, 'examplesPerSecond' | 'steps' | 'firstStepSeconds'>> {
  const keras = buildKerasModel(model, 1);
  const variables = keras.trainableWeights.map((w) => w.read() as tf.Variable);
  const data = syntheticExamples(batch, xShapeOf(model), 10, 5);
  const x = tf.tensor(data.x, [batch, ...data.xShape]);
  const y = tf.tensor1d(data.y, 'int32');
  const loss = new SparseCategoricalCrossentropy();
  const optimizer = tf.train.sgd(0.01);
  const step = (): void => {
    tf.tidy(() => {
      optimizer.minimize(() => loss.call(y, keras.apply(x, { training: true }) as tf.Tensor), false, variables);
    });
  };
  const drain = async (): Promise<void> => {
    await variables[0]!.data();
  };
  try {
    let t0 = performance.now();
    step();
    await drain();
    const firstStepSeconds = (performance.now() - t0) / 1000;
    for (let i = 1; i < WARMUP_STEPS; i++) step();
    await drain();
    // Time blocks of steps until `seconds` have passed, so that a slow backend still stops on time.
    let steps = 0;
    let block = 1;
    t0 = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      for (let i = 0; i < block; i++) step();
      await drain();
      steps += block;
      elapsed = performance.now() - t0;
      block = Math.min(block * 2, 64);
    }
    return { examplesPerSecond: (steps * batch * 1000) / elapsed, steps, firstStepSeconds };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y]);
    keras.dispose();
  }
}
