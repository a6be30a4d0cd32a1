import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { checkCompatible } from './check-compatible.js';
import { ValueError } from './errors.js';
import { StructSpec } from './struct-spec.js';
import { TensorSpec } from './tensor-spec.js';

const inputSpec = new StructSpec({
  x: new StructSpec({ a: new TensorSpec([null, 2]), b: new TensorSpec([null, 1]) }),
  y: new TensorSpec([null, 1], 'int32'),
});

describe('checkCompatible', () => {
  let scope: tf.Tensor[];
  beforeEach(() => {
    scope = [];
  });
  afterEach(() => {
    for (const t of scope) t.dispose();
  });
  const t = <T extends tf.Tensor>(x: T): T => {
    scope.push(x);
    return x;
  };
  const good = () => ({
    x: { a: t(tf.zeros([4, 2])), b: t(tf.zeros([4, 1])) },
    y: t(tf.zeros([4, 1], 'int32')),
  });

  it('accepts a batch that matches, whatever the size of unknown dimensions', () => {
    expect(() => checkCompatible(inputSpec, good(), '')).not.toThrow();
  });

  it('throws when a dtype differs, naming the path and both specs', () => {
    const batch = { ...good(), y: t(tf.zeros([4, 1], 'float32')) };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(
      new ValueError('batch element "y" has dtype float32 but input_spec expects int32[?,1]. Cast it when building the dataset.'),
    );
  });

  it('throws when the rank differs', () => {
    const batch = { ...good(), y: t(tf.zeros([4], 'int32')) };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(/batch element "y" has rank 1 .*expects int32\[\?,1\]/);
  });

  it('throws when a known dimension differs', () => {
    const batch = { ...good(), x: { a: t(tf.zeros([4, 3])), b: t(tf.zeros([4, 1])) } };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(/batch element "x\.a" has shape \[4,3\] .*float32\[\?,2\]: dimension 1 must be 2/);
  });

  it('throws when a key is missing', () => {
    const batch = { ...good(), x: { a: t(tf.zeros([4, 2])) } };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(/batch element "x" has no key "b"/);
  });

  it('throws when a tensor stands where the spec expects a structure', () => {
    const batch = { ...good(), x: t(tf.zeros([4, 3])) };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(/batch element "x" is a tensor float32\[4,3\] but input_spec expects a structure/);
  });

  it('throws when a structure stands where the spec expects a tensor (extra nesting)', () => {
    const batch = { ...good(), y: [t(tf.zeros([4, 1], 'int32'))] };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(/batch element "y" is an array of 1 elements but input_spec expects a tensor int32\[\?,1\]/);
  });

  it('throws when a record has a key the spec does not have', () => {
    const batch = { ...good(), z: t(tf.zeros([1])) };
    expect(() => checkCompatible(inputSpec, batch, '')).toThrow(/unexpected key\(s\) "z"/);
  });

  it('matches an array against a named struct by position', () => {
    const spec = new StructSpec({ a: new TensorSpec([null, 2]), b: new TensorSpec([null, 1]) });
    expect(() => checkCompatible(spec, [t(tf.zeros([1, 2])), t(tf.zeros([1, 1]))], 'x')).not.toThrow();
    expect(() => checkCompatible(spec, [t(tf.zeros([1, 2])), t(tf.zeros([1, 5]))], 'x')).toThrow(/"x\.b"/);
  });
});
