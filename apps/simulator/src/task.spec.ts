import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { TensorSpec, ValueError } from '@fedkit/core';

import { prepareRun } from './prepare-run.js';
import { DEFAULT_CONFIG, mergeConfig } from './simulator-config.js';
import { checkTaskData, checkTaskExamples, type TaskData } from './task.js';

const LABEL_OVERFLOW = fileURLToPath(new URL('../fixtures/label-overflow-task.mjs', import.meta.url));
const SPEC = { x: new TensorSpec([null, 2]), y: new TensorSpec([null], 'int32') };

/** 4 train and 2 test examples of 2 features, 3 classes; labels 0, 1, 2, 0 and 1, 2. */
function data(): { train: { x: Float32Array; y: Int32Array; numExamples: number; exampleShape: number[] }; test: { x: Float32Array; y: Int32Array; numExamples: number; exampleShape: number[] }; numClasses: number } {
  return {
    train: { x: new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]), y: new Int32Array([0, 1, 2, 0]), numExamples: 4, exampleShape: [2] },
    test: { x: new Float32Array([0, 1, 2, 3]), y: new Int32Array([1, 2]), numExamples: 2, exampleShape: [2] },
    numClasses: 3,
  };
}

describe('checkTaskData', () => {
  it('accepts data that matches its shapes and the input spec', () => {
    const d = data();
    expect(checkTaskData(d, 'toy', SPEC)).toBe(d);
  });

  it("refuses examples whose shape differs from the task's inputSpec.x", () => {
    const d = data();
    const wide = { ...d, test: { ...d.test, x: new Float32Array(6), exampleShape: [3] } };
    expect(() => checkTaskData(wide, 'toy', SPEC)).toThrow("The data of task toy is not valid:\n  test.exampleShape is [3] but the task's inputSpec.x takes examples of shape [2]");
  });

  it("refuses float labels when the task's inputSpec.y is int32", () => {
    const d = data();
    const floats = { ...d, train: { ...d.train, y: new Float32Array([0, 1, 2, 0]) } } as unknown as TaskData;
    expect(() => checkTaskData(floats, 'toy', SPEC)).toThrow("train.y is a Float32Array but the task's inputSpec.y has dtype int32: return an Int32Array (or change inputSpec.y)");
  });
});

describe('checkTaskExamples', () => {
  it('refuses a label outside [0, numClasses), naming the split, the example index and the client holding it', () => {
    const d = data();
    d.train.y[2] = 12;
    expect(() => checkTaskExamples(d, 'toy', [[0, 1], [2, 3]])).toThrow(
      "The data of task toy is not valid:\n  train example 2 (client 1): label 12 is outside [0, 3) (numClasses 3)\n" +
        "Fix the task's loadData: class ids must lie in [0, numClasses) (raise numClasses, and the model's outputs, if there are more classes) and features must be finite numbers.",
    );
  });

  it('refuses a negative test label, naming the example', () => {
    const d = data();
    d.test.y[1] = -1;
    expect(() => checkTaskExamples(d, 'toy')).toThrow('  test example 1: label -1 is outside [0, 3) (numClasses 3)');
  });

  it('refuses non-finite features, one line per example', () => {
    const d = data();
    d.train.x[6] = Number.NaN;
    d.train.x[7] = Number.POSITIVE_INFINITY;
    d.test.x[1] = Number.NEGATIVE_INFINITY;
    let message = '';
    try {
      checkTaskExamples(d, 'toy', [[0, 1, 2, 3]]);
    } catch (e) {
      expect(e).toBeInstanceOf(ValueError);
      message = (e as Error).message;
    }
    expect(message).toContain('  train example 3 (client 0): feature 0 is NaN\n  test example 0: feature 1 is -Infinity\n');
  });

  it('lists 5 bad examples and counts the rest', () => {
    const d = data();
    d.train.y.fill(7);
    d.test.y.fill(7);
    expect(() => checkTaskExamples(d, 'toy')).toThrow(/test example 0: label 7 is outside \[0, 3\) \(numClasses 3\)\n {2}and 1 more\n/);
  });

  it('accepts labels in range and finite features', () => {
    expect(() => checkTaskExamples(data(), 'toy', [[0, 1], [2, 3]])).not.toThrow();
  });
});

describe('task data at load', () => {
  it('a model with fewer outputs than the classes of its data is refused before training (before: a NaN loss for 2 rounds, exit 0)', async () => {
    const config = mergeConfig(DEFAULT_CONFIG, { task: LABEL_OVERFLOW, clients: 8, clientsPerRound: 4, runtime: 'cpu', workers: 0, out: mkdtempSync(join(tmpdir(), 'overflow-')) });
    await expect(prepareRun(config)).rejects.toThrow(
      'The model of task label-overflow has 3 outputs but its data has numClasses 5, so labels 3 to 4 are outside what sparse_categorical_crossentropy can score.',
    );
  });
});
