import type * as tf from '@tensorflow/tfjs';

import { ValueError, type Metric, type TensorSpec } from '@fedkit/core';
import type { LossOption } from '@fedkit/keras-adapter';

import type { ArrayData } from './array-data.js';

/** A task's data: a train split to partition among clients and a held-out test split. */
export interface TaskData {
  readonly train: ArrayData;
  readonly test: ArrayData;
  readonly numClasses: number;
}

/**
 * What `--task <module>` must export (named exports, or the same fields on a
 * default export): a model factory, a loss, metrics, an input spec and a data
 * loader. Users bring their own model this way.
 */
export interface TaskDefinition {
  /** Shown in logs and the report. */
  readonly name: string;
  /** A new uncompiled tfjs-layers model; the same `seed` must give the same initial weights. */
  createKerasModel(seed: number): tf.LayersModel;
  /** A loss name (`'sparse_categorical_crossentropy'`) or Loss, as `fromKerasModel` takes it. */
  readonly loss: LossOption;
  /** Metric factories, one new metric per call. */
  readonly metrics: ReadonlyArray<() => Metric>;
  /** The spec of one batch: `{ x, y }` with `null` batch dimensions. */
  readonly inputSpec: { readonly x: TensorSpec; readonly y: TensorSpec };
  /** Loads the train and test data (flat typed arrays; `y` holds class ids for the label histogram). */
  loadData(options: { readonly seed: number }): TaskData | Promise<TaskData>;
}

/** The exports a task module must have, and what each is. */
export const TASK_EXPORTS: Readonly<Record<keyof TaskDefinition, string>> = {
  name: 'a string naming the task',
  createKerasModel: 'a function (seed) => tf.LayersModel (uncompiled)',
  loss: "a loss name such as 'sparse_categorical_crossentropy' or a Loss",
  metrics: 'an array of metric factories, e.g. [() => new SparseCategoricalAccuracy()]',
  inputSpec: '{ x: TensorSpec, y: TensorSpec } with null batch dimensions',
  loadData: 'a function ({ seed }) => { train, test, numClasses } (or a Promise of it)',
};

/**
 * Checks that a module's namespace (or its default export) is a task.
 * @throws ValueError naming every missing or mistyped export and what it should be.
 */
export function checkTaskModule(mod: Record<string, unknown>, where: string): TaskDefinition {
  const source = (mod['default'] !== null && typeof mod['default'] === 'object' ? mod['default'] : mod) as Record<string, unknown>;
  const problems: string[] = [];
  const want: Record<keyof TaskDefinition, (v: unknown) => boolean> = {
    name: (v) => typeof v === 'string',
    createKerasModel: (v) => typeof v === 'function',
    loss: (v) => v !== undefined && v !== null,
    metrics: (v) => Array.isArray(v) && v.every((f) => typeof f === 'function'),
    inputSpec: (v) => v !== null && typeof v === 'object' && 'x' in v && 'y' in v,
    loadData: (v) => typeof v === 'function',
  };
  for (const key of Object.keys(want) as (keyof TaskDefinition)[]) {
    const v = source[key];
    if (v === undefined) problems.push(`missing export "${key}": ${TASK_EXPORTS[key]}`);
    else if (!want[key](v)) problems.push(`export "${key}" has the wrong type: expected ${TASK_EXPORTS[key]}`);
  }
  if (problems.length > 0) throw new ValueError(`The task module ${where} is not a valid task:\n  ${problems.join('\n  ')}`);
  return source as unknown as TaskDefinition;
}
