import {
  isSpec,
  specOf,
  StructSpec,
  TensorSpec,
  toSpec,
  ValueError,
  type Batch,
  type Spec,
  type SpecStructure,
  normalizeBatch,
} from '@fedkit/core';

/** What `inputSpec` may be: `{ x, y }`, `[x, y]` of TensorSpec structures, or a StructSpec. */
export type InputSpecLike =
  | StructSpec
  | { readonly x: SpecStructure; readonly y: SpecStructure }
  | readonly [SpecStructure, SpecStructure];

/**
 * Turns an `inputSpec` given as `{ x, y }`, `[x, y]` or a StructSpec into the
 * named struct `<x=...,y=...>`.
 *
 * @throws ValueError when it does not have exactly two elements, or a record lacks `x` or `y`.
 * @throws TypeError when a leaf is not a TensorSpec.
 * @example
 * ```ts
 * normalizeInputSpec([new TensorSpec([null, 3]), new TensorSpec([null, 1], 'int32')]).toString();
 * // '<x=float32[?,3],y=int32[?,1]>'
 * ```
 */
export function normalizeInputSpec(inputSpec: InputSpecLike): StructSpec {
  if (inputSpec instanceof StructSpec) {
    if (inputSpec.length !== 2) {
      throw new ValueError(`inputSpec must have exactly two elements (x, y), found ${inputSpec.length}: ${inputSpec.toString()}.`);
    }
    const named = inputSpec.isNamed;
    if (named && (inputSpec.get('x') === undefined || inputSpec.get('y') === undefined)) {
      throw new ValueError(`inputSpec given as a named struct must have elements "x" and "y", found ${inputSpec.toString()}.`);
    }
    return new StructSpec({
      x: named ? inputSpec.get('x')! : inputSpec.get(0)!,
      y: named ? inputSpec.get('y')! : inputSpec.get(1)!,
    });
  }
  if (Array.isArray(inputSpec)) {
    if (inputSpec.length !== 2) {
      throw new ValueError(`inputSpec given as an array must be [x, y] (2 elements), found ${inputSpec.length} elements.`);
    }
    return new StructSpec({ x: toSpec(inputSpec[0] as SpecStructure, 'x'), y: toSpec(inputSpec[1] as SpecStructure, 'y') });
  }
  if (typeof inputSpec !== 'object' || inputSpec === null || isSpec(inputSpec)) {
    throw new ValueError(`inputSpec must be { x, y }, [x, y] or a StructSpec of two elements, found ${String(inputSpec)}.`);
  }
  const keys = Object.keys(inputSpec);
  if (keys.length !== 2 || !keys.includes('x') || !keys.includes('y')) {
    throw new ValueError(
      `inputSpec given as a record must have exactly the keys "x" and "y", found ${keys.map((k) => `"${k}"`).join(', ') || 'none'}.`,
    );
  }
  const record = inputSpec as { x: SpecStructure; y: SpecStructure };
  return new StructSpec({ x: toSpec(record.x, 'x'), y: toSpec(record.y, 'y') });
}

/**
 * The spec of a sample batch with every batch (first) dimension made unknown.
 * @example
 * ```ts
 * specFromDummyBatch({ x: tf.zeros([2, 3]), y: tf.zeros([2, 1]) }).toString(); // '<x=float32[?,3],y=float32[?,1]>'
 * ```
 */
export function specFromDummyBatch(dummyBatch: Batch): StructSpec {
  const { x, y } = normalizeBatch(dummyBatch);
  if (y === undefined) throw new ValueError('dummyBatch must hold both x and y.');
  return new StructSpec({ x: relaxBatch(specOf(x)), y: relaxBatch(specOf(y)) });
}

function relaxBatch(spec: Spec): Spec {
  if (spec instanceof TensorSpec) return spec.withUnknownBatch();
  if (spec instanceof StructSpec) return StructSpec.fromEntries(spec.elements.map((e) => [e.name, relaxBatch(e.spec)] as const));
  return spec;
}
