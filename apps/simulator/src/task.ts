import type * as tf from '@tensorflow/tfjs';

import { ValueError, type LabeledArrays, type Metric, type OptimizerConfig, type TensorSpec, type TrainTestArrays } from '@fedkit/core';
import type { LossOption } from '@fedkit/keras-adapter';

/** A task's data: a train split to partition among clients and a held-out test split (the shape `loadMnist()` returns). */
export type TaskData = TrainTestArrays;

/** Token under which tasks (`--task <name>`) are registered. */
export const TASK_PLUGIN: unique symbol = Symbol.for('fedkit.TaskPlugin');

/**
 * What `--task <module>` must export (named exports, or the same fields on a
 * default export): a model factory, a loss, metrics, an input spec and a data
 * loader; optionally the client optimizer. Users bring their own model this way.
 */
export interface TaskDefinition {
  /** Shown in logs and the report; the registry name of a built-in task. */
  readonly name: string;
  /** A new uncompiled tfjs-layers model; the same `seed` must give the same initial weights. */
  createKerasModel(seed: number): tf.LayersModel;
  /** A loss name (`'sparse_categorical_crossentropy'`) or Loss, as `fromKerasModel` takes it. */
  readonly loss: LossOption;
  /** Metric factories, one new metric per call. */
  readonly metrics: ReadonlyArray<() => Metric>;
  /** The spec of one batch: `{ x, y }` with `null` batch dimensions. */
  readonly inputSpec: { readonly x: TensorSpec; readonly y: TensorSpec };
  /**
   * Loads the train and test data as {@link LabeledArrays} (`loadMnist()`'s result can be returned as it is).
   * Draw any train/test split from `splitSeed`, never from `seed` (the run's seed), so that runs with
   * different seeds are scored on the same test set.
   */
  loadData(options: { readonly seed: number; readonly splitSeed: number }): TaskData | Promise<TaskData>;
  /** The client optimizer, Keras-style (`{ name: 'adam', learningRate: 0.001 }`); `--client-optimizer`/`--client-lr` override it. Default SGD. */
  readonly clientOptimizer?: OptimizerConfig;
}

/** The exports a task module must have, and what each is. */
export const TASK_EXPORTS: Readonly<Record<Exclude<keyof TaskDefinition, 'clientOptimizer'>, string>> = {
  name: 'a string naming the task',
  createKerasModel: 'a function (seed) => tf.LayersModel (uncompiled)',
  loss: "a loss name such as 'sparse_categorical_crossentropy' or a Loss",
  metrics: 'an array of metric factories, e.g. [() => new SparseCategoricalAccuracy()]',
  inputSpec: '{ x: TensorSpec, y: TensorSpec } with null batch dimensions',
  loadData: 'a function ({ seed, splitSeed }) => { train, test, numClasses } with LabeledArrays splits (or a Promise of it)',
};

/**
 * Checks that a module's namespace (or its default export) is a task.
 * @throws ValueError naming every missing or mistyped export and what it should be.
 */
export function checkTaskModule(mod: Record<string, unknown>, where: string): TaskDefinition {
  const source = (mod['default'] !== null && typeof mod['default'] === 'object' ? mod['default'] : mod) as Record<string, unknown>;
  const problems: string[] = [];
  const want: Record<keyof typeof TASK_EXPORTS, (v: unknown) => boolean> = {
    name: (v) => typeof v === 'string',
    createKerasModel: (v) => typeof v === 'function',
    loss: (v) => v !== undefined && v !== null,
    metrics: (v) => Array.isArray(v) && v.every((f) => typeof f === 'function'),
    inputSpec: (v) => v !== null && typeof v === 'object' && 'x' in v && 'y' in v,
    loadData: (v) => typeof v === 'function',
  };
  for (const key of Object.keys(want) as (keyof typeof TASK_EXPORTS)[]) {
    const v = source[key];
    if (v === undefined) problems.push(`missing export "${key}": ${TASK_EXPORTS[key]}`);
    else if (!want[key](v)) problems.push(`export "${key}" has the wrong type: expected ${TASK_EXPORTS[key]}`);
  }
  const opt = source['clientOptimizer'];
  if (opt !== undefined && (opt === null || typeof opt !== 'object' || typeof (opt as { name?: unknown }).name !== 'string')) {
    problems.push("export \"clientOptimizer\" has the wrong type: expected { name: 'sgd' | 'adam' | ..., learningRate: number }");
  }
  if (problems.length > 0) throw new ValueError(`The task module ${where} is not a valid task:\n  ${problems.join('\n  ')}`);
  return source as unknown as TaskDefinition;
}

/**
 * Checks what a task's `loadData` returned: two {@link LabeledArrays} splits whose arrays match their
 * shapes, and, given the task's `inputSpec`, whose example shapes and label dtype match it.
 * Their values are checked by {@link checkTaskExamples}.
 * @throws ValueError naming the task, the split and the field.
 * @example
 * ```ts
 * const data = checkTaskData(await task.loadData({ seed: 0, splitSeed: 0 }), task.name, task.inputSpec);
 * ```
 */
export function checkTaskData(data: TaskData, task: string, inputSpec?: TaskDefinition['inputSpec']): TaskData {
  const splitProblems = (name: string, s: LabeledArrays | undefined): string[] => {
    if (s === null || typeof s !== 'object') return [`${name} is missing: expected { x: Float32Array, y: Int32Array | Float32Array, numExamples, exampleShape }`];
    const p: string[] = [];
    if (!(s.x instanceof Float32Array)) p.push(`${name}.x must be a Float32Array`);
    if (!(s.y instanceof Int32Array || s.y instanceof Float32Array)) p.push(`${name}.y must be an Int32Array (class ids) or a Float32Array`);
    if (!Number.isInteger(s.numExamples) || s.numExamples < 0) p.push(`${name}.numExamples must be an integer >= 0, found ${String(s.numExamples)}`);
    if (!Array.isArray(s.exampleShape)) p.push(`${name}.exampleShape must be an array such as [784] (older tasks used xShape/count: rename them)`);
    if (p.length > 0) return p;
    const size = s.exampleShape.reduce((a, b) => a * b, 1);
    const lsize = (s.labelShape ?? []).reduce((a, b) => a * b, 1);
    if (s.x.length !== s.numExamples * size) p.push(`${name}.x has ${s.x.length} values, expected numExamples × ${size} = ${s.numExamples * size}`);
    if (s.y.length !== s.numExamples * lsize) p.push(`${name}.y has ${s.y.length} values, expected numExamples × ${lsize} = ${s.numExamples * lsize}`);
    if (inputSpec !== undefined) {
      const specShape = (field: 'x' | 'y'): string => `[${inputSpec[field].shape.slice(1).map((d) => d ?? '?').join(', ')}]`;
      if (!fitsSpec(s.exampleShape, inputSpec.x.shape)) p.push(`${name}.exampleShape is [${s.exampleShape.join(', ')}] but the task's inputSpec.x takes examples of shape ${specShape('x')}`);
      if (!fitsSpec(s.labelShape ?? [], inputSpec.y.shape)) p.push(`${name}.labelShape is [${(s.labelShape ?? []).join(', ')}] but the task's inputSpec.y takes labels of shape ${specShape('y')}`);
      const want = inputSpec.y.dtype === 'int32' ? Int32Array : inputSpec.y.dtype === 'float32' ? Float32Array : undefined;
      if (want !== undefined && !(s.y instanceof want)) p.push(`${name}.y is a ${s.y.constructor.name} but the task's inputSpec.y has dtype ${inputSpec.y.dtype}: return ${want === Int32Array ? 'an' : 'a'} ${want.name} (or change inputSpec.y)`);
    }
    return p;
  };
  const problems = [...splitProblems('train', data?.train), ...splitProblems('test', data?.test)];
  if (!Number.isInteger(data?.numClasses) || data.numClasses < 1) problems.push(`numClasses must be a positive integer, found ${String(data?.numClasses)}`);
  if (problems.length > 0) throw new ValueError(`The data of task ${task} is not valid:\n  ${problems.join('\n  ')}`);
  return data;
}

/** Whether an example shape fits a batch spec `[null, ...dims]` (a `null` dimension takes any size). */
function fitsSpec(shape: readonly number[], spec: readonly (number | null)[]): boolean {
  return shape.length === spec.length - 1 && shape.every((d, i) => spec[i + 1] === null || spec[i + 1] === d);
}

/** At most this many bad examples are listed; the message counts the rest. */
const LISTED_PROBLEMS = 5;

/**
 * Checks the values of a task's data, once at load: every feature finite, every
 * float label finite, every class id (Int32Array labels of shape `[]`) in
 * `[0, numClasses)`. So a label 12 of a 10-class task stops the run before
 * training instead of training silently on a NaN loss.
 * @param partition the train split's partition (client id to example indices), to name the client holding a bad example.
 * @throws ValueError naming the task, the split, the example index, the client (train split) and the value.
 * @example
 * ```ts
 * checkTaskExamples(data, 'my-task', partitionIid(data.train.y, 10, { seed: 0 }));
 * // ValueError: ... train example 17 (client 3): label 12 is outside [0, 10) ...
 * ```
 */
export function checkTaskExamples(data: TaskData, task: string, partition?: readonly (readonly number[] | Int32Array)[]): void {
  let owners: Map<number, number[]> | undefined;
  const clientsOf = (i: number): number[] => {
    if (partition === undefined) return [];
    if (owners === undefined) {
      owners = new Map();
      partition.forEach((indices, c) => {
        for (const j of indices) owners!.set(j, [...(owners!.get(j) ?? []), c]);
      });
    }
    return owners.get(i) ?? [];
  };
  const problems: string[] = [];
  let more = 0;
  const report = (split: 'train' | 'test', i: number, what: string): void => {
    if (problems.length >= LISTED_PROBLEMS) {
      more += 1;
      return;
    }
    const clients = split === 'train' ? clientsOf(i) : [];
    const who = clients.length === 0 ? '' : ` (client ${clients.join(', ')})`;
    problems.push(`${split} example ${i}${who}: ${what}`);
  };
  for (const split of ['train', 'test'] as const) {
    const s = data[split];
    const size = s.x.length / Math.max(1, s.numExamples);
    for (let k = 0; k < s.x.length; k++) {
      if (!Number.isFinite(s.x[k]!)) {
        const i = Math.floor(k / size);
        report(split, i, `feature ${k - i * size} is ${s.x[k]}`);
        k = (i + 1) * size - 1; // one line per example
      }
    }
    const classIds = s.y instanceof Int32Array && (s.labelShape ?? []).length === 0;
    const lsize = s.y.length / Math.max(1, s.numExamples);
    for (let k = 0; k < s.y.length; k++) {
      const v = s.y[k]!;
      if (classIds ? !(v >= 0 && v < data.numClasses) : !Number.isFinite(v)) {
        report(split, Math.floor(k / lsize), classIds ? `label ${v} is outside [0, ${data.numClasses}) (numClasses ${data.numClasses})` : `label value ${v} is not finite`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ValueError(
      `The data of task ${task} is not valid:\n  ${problems.join('\n  ')}${more > 0 ? `\n  and ${more} more` : ''}\n` +
        "Fix the task's loadData: class ids must lie in [0, numClasses) (raise numClasses, and the model's outputs, if there are more classes) and features must be finite numbers.",
    );
  }
}
