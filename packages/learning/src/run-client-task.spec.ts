import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import { ValueError, type ClientDataset, type ClientTask, type ClientTaskOutcome, type ModelWeightArrays } from '@fedkit/core';

import { modelEnvironment } from './executors/in-process-executor.js';
import { runClientTask } from './run-client-task.js';
import { LinearModel, datasetOf } from './testing/linear-model.js';

function weights(kernel: number[], bias: number): ModelWeightArrays {
  return { trainable: [Float32Array.from(kernel), Float32Array.of(bias)], nonTrainable: [], trainableShapes: [[kernel.length, 1], [1]], nonTrainableShapes: [] };
}

function task(w: ModelWeightArrays, data: ClientDataset, extra: Partial<ClientTask> = {}): ClientTask {
  return { clientIndex: 0, round: 1, weights: w, update: { name: 'local_training' }, optimizer: { name: 'sgd', learningRate: 0.01 }, data, ...extra };
}

function ok(o: ClientTaskOutcome): Extract<ClientTaskOutcome, { ok: true }>['result'] {
  if (!o.ok) throw new Error(`expected success, got ${o.error}`);
  return o.result;
}

describe('runClientTask', () => {
  it('local_training, one SGD step on one batch: update = initial − trained, weight = examples, local_steps 1', async () => {
    const model = new LinearModel();
    const r = ok(await runClientTask(task(weights([0, 0], 0), datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }])), modelEnvironment(model)));
    // err = pred − y = [-5, -6]; dL/dpred = 2·err/2 = [-5, -6]
    // dk = xᵀ·[-5,-6] = [-5-18, -10-24] = [-23, -34]; db = -11
    // trained = 0 − 0.01·grad = [0.23, 0.34], 0.11 → update = initial − trained = [-0.23, -0.34], [-0.11]
    expect(r.update[0]![0]).toBeCloseTo(-0.23, 6);
    expect(r.update[0]![1]).toBeCloseTo(-0.34, 6);
    expect(r.update[1]![0]).toBeCloseTo(-0.11, 6);
    expect(r.updateWeight).toBe(2);
    expect(r.extra).toEqual({ local_steps: 1 });
    expect(r.metrics).toEqual({ loss: [61, 2], num_examples: [2], num_batches: [1] }); // loss (25+36)/2 = 30.5, ·2 = 61
    model.dispose();
  });

  it('local_training writes the update into the arrays allocateUpdate lends (same values as without)', async () => {
    const model = new LinearModel();
    const lent = [new Float32Array(2), new Float32Array(1)];
    const asked: number[][] = [];
    const allocateUpdate = (lengths: readonly number[]) => (asked.push([...lengths]), lent);
    const r = ok(await runClientTask(task(weights([0, 0], 0), datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }])), modelEnvironment(model), { allocateUpdate }));
    expect(asked).toEqual([[2, 1]]);
    expect(r.update[0]).toBe(lent[0]);
    expect(r.update[1]).toBe(lent[1]);
    // The same numbers as the test above: [-0.23, -0.34], [-0.11].
    expect(lent[0]![0]).toBeCloseTo(-0.23, 6);
    expect(lent[0]![1]).toBeCloseTo(-0.34, 6);
    expect(lent[1]![0]).toBeCloseTo(-0.11, 6);
    model.dispose();
  });

  it('a dataset of 4 examples repeated twice in batches of 3 gives weight 8 and 3 batches', async () => {
    const model = new LinearModel([0], 0);
    const rows = [1, 2, 3, 4].map((v) => ({ x: [v], y: [v] }));
    // 8 examples in batches of 3 → 3, 3, 2: three batches
    const ds = tf.data.array(rows).repeat(2).batch(3);
    const r = ok(await runClientTask(task(weights([0], 0), ds as never, { optimizer: { name: 'sgd', learningRate: 0.001 } }), modelEnvironment(model)));
    expect(r.updateWeight).toBe(8);
    expect(r.numBatches).toBe(3);
    expect(r.metrics['num_examples']).toEqual([8]);
    model.dispose();
  });

  it('initial weights with NaN give weight 0 and a zero update', async () => {
    const model = new LinearModel();
    const r = ok(await runClientTask(task(weights([NaN, 0], 0), datasetOf([{ x: [[1, 2]], y: [[5]] }])), modelEnvironment(model)));
    expect(r.updateNonFinite).toBe(true);
    expect(r.updateWeight).toBe(0);
    expect(r.update.map((u) => Array.from(u))).toEqual([[0, 0], [0]]);
    model.dispose();
  });

  it('an empty dataset gives weight 0 and a zero update', async () => {
    const model = new LinearModel();
    const r = ok(await runClientTask(task(weights([1, 2], 3), []), modelEnvironment(model)));
    expect(r.updateWeight).toBe(0);
    expect(r.numBatches).toBe(0);
    expect(r.update.map((u) => Array.from(u))).toEqual([[0, 0], [0]]);
    model.dispose();
  });

  it('fails the client, naming its id and the path, when a batch does not fit inputSpec', async () => {
    const model = new LinearModel();
    const bad = [{ x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[1]], [1, 1], 'int32') }];
    const o = await runClientTask(task(weights([0, 0], 0), bad, { clientIndex: 4, clientId: 'hospital-7' }), modelEnvironment(model));
    expect(o.ok).toBe(false);
    expect(!o.ok && o.error).toMatch(/^client hospital-7: batch element "y" has dtype int32/);
    model.dispose();
  });

  it('reports how far a client got when its dataset throws', async () => {
    const model = new LinearModel();
    function* failing() {
      yield { x: tf.tensor2d([[1, 2], [3, 4]]), y: tf.tensor2d([[5], [6]]) };
      throw new Error('disk gone');
    }
    const o = await runClientTask(task(weights([0, 0], 0), failing(), { clientIndex: 1 }), modelEnvironment(model));
    expect(o).toMatchObject({ ok: false, error: 'client 1: disk gone', numExamples: 2, numBatches: 1 });
    model.dispose();
  });

  it('rejects with the reason when the signal is aborted, and disposes the batches it pulled', async () => {
    const model = new LinearModel();
    const controller = new AbortController();
    let made = 0;
    function* batches() {
      for (let i = 0; i < 5; i++) {
        made++;
        if (i === 1) controller.abort(new Error('stop'));
        yield { x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[5]]) };
      }
    }
    const before = tf.memory().numTensors;
    await expect(runClientTask(task(weights([0, 0], 0), batches()), modelEnvironment(model), { signal: controller.signal })).rejects.toThrow('stop');
    expect(made).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('mean_gradient returns the example-weighted mean gradient, needs no optimizer and leaves the weights', async () => {
    const model = new LinearModel();
    // batch A: x=[[1,2],[3,4]], y=[[5],[6]] at w=0: mean grad dk=[-23,-34], db=-11 (2 examples)
    // batch B: x=[[0,1]], y=[[2]]: err -2, dL/dpred = -4 → dk=[0,-4], db=-4 (1 example)
    // weighted mean: dk = [(2·-23 + 0)/3, (2·-34 - 4)/3] = [-46/3, -24], db = (-22 - 4)/3 = -26/3
    const data = datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }, { x: [[0, 1]], y: [[2]] }]);
    const r = ok(await runClientTask({ clientIndex: 0, round: 1, weights: weights([0, 0], 0), update: { name: 'mean_gradient' }, data }, modelEnvironment(model)));
    expect(r.update[0]![0]).toBeCloseTo(-46 / 3, 4);
    expect(r.update[0]![1]).toBeCloseTo(-24, 4);
    expect(r.update[1]![0]).toBeCloseTo(-26 / 3, 4);
    expect(r.updateWeight).toBe(3);
    expect(Array.from(model.trainableVariables[0]!.dataSync())).toEqual([0, 0]);
    model.dispose();
  });

  it('trains with the optimizer the task names: one Adam step moves each weight by lr·sign(grad)', async () => {
    const model = new LinearModel();
    // Adam's first step: m̂ = g, v̂ = g², so Δw = −lr·g/(|g| + ε) ≈ −lr·sign(g). Gradients (above): dk = [-23, -34], db = -11.
    const r = ok(
      await runClientTask(
        task(weights([0, 0], 0), datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }]), { optimizer: { name: 'adam', learningRate: 0.5 } }),
        modelEnvironment(model),
      ),
    );
    // update = initial − trained = −0.5 for each weight (SGD at lr 0.5 would give 11.5, 17, 5.5).
    expect(Array.from(r.update[0]!).map((v) => Number(v.toFixed(5)))).toEqual([-0.5, -0.5]);
    expect(r.update[1]![0]).toBeCloseTo(-0.5, 5);
    model.dispose();
  });

  it('fails a task that names an unknown client update or optimizer option, saying what is valid', async () => {
    const model = new LinearModel();
    const unknown = await runClientTask(task(weights([0, 0], 0), [], { update: { name: 'local_trainin' } }), modelEnvironment(model));
    expect(!unknown.ok && unknown.error).toMatch(/Unknown client update "local_trainin". Registered client updates: local_training, mean_gradient, proximal_training/);
    const badOption = await runClientTask(task(weights([0, 0], 0), [], { optimizer: { name: 'sgd', learningRate: 0.1, momentum: 0.9 } }), modelEnvironment(model));
    expect(!badOption.ok && badOption.error).toMatch(/The sgd optimizer has no option "momentum"; its options are: learningRate/);
    expect(() => {
      throw new ValueError('x');
    }).toThrow(ValueError);
    model.dispose();
  });

  it('does not leak tensors (proximal training, with its global-weight tensors)', async () => {
    const model = new LinearModel();
    const run = () =>
      runClientTask(
        task(weights([0, 0], 0), datasetOf([{ x: [[1, 2], [3, 4]], y: [[5], [6]] }, { x: [[0, 1]], y: [[2]] }]), {
          update: { name: 'proximal_training', config: { proximalStrength: 0.5 } },
        }),
        modelEnvironment(model),
      );
    await run();
    const before = tf.memory().numTensors;
    await run();
    await run();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('runClientTask with a timeout', () => {
  it('fails a client whose dataset never yields a batch (a promise that never settles) at its timeout, in this thread', async () => {
    const model = new LinearModel();
    const never = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<never>>(() => undefined) }) };
    const started = performance.now();
    const o = await runClientTask(task(weights([0, 0], 0), never as never, { clientId: 4 }), modelEnvironment(model), { timeoutMs: 100 });
    expect(o.ok).toBe(false);
    expect(!o.ok && o.error).toBe('client 4: still waiting for its data 500 ms after the client timeout of 100 ms; the round goes on without it.');
    expect(performance.now() - started).toBeLessThan(10_000);
    model.dispose();
  }, 20_000);

  it('fails a client on an endless synchronous dataset at its timeout', async () => {
    const model = new LinearModel();
    function* endless() {
      for (;;) yield { x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[5]]) };
    }
    const o = await runClientTask(task(weights([0, 0], 0), endless(), { clientId: 5 }), modelEnvironment(model), { timeoutMs: 100 });
    expect(o.ok).toBe(false);
    expect(!o.ok && o.error).toMatch(/^client 5: passed its deadline after \d+ batches; the round goes on without it\.$/);
    model.dispose();
  }, 20_000);

  it('fails a client still running past its timeout between batches, saying how far it got', async () => {
    const model = new LinearModel();
    async function* slow() {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 40));
        yield { x: tf.tensor2d([[1, 2]]), y: tf.tensor2d([[5]]) };
      }
    }
    const before = tf.memory().numTensors;
    const o = await runClientTask(task(weights([0, 0], 0), slow(), { clientId: 9 }), modelEnvironment(model), { timeoutMs: 100 });
    expect(o.ok).toBe(false);
    expect(!o.ok && o.error).toMatch(/^client 9: passed its deadline after \d batches; the round goes on without it\.$/);
    expect(!o.ok && o.numBatches).toBeLessThan(20);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
