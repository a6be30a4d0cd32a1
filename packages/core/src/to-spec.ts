import { describe } from './resolve-loss.js';
import type { Spec } from './spec.js';
import { StructSpec } from './struct-spec.js';
import { TensorSpec } from './tensor-spec.js';
import { SequenceSpec } from './sequence-spec.js';
import { FederatedSpec } from './federated-spec.js';
import { FunctionSpec } from './function-spec.js';

/** A TensorSpec, or arrays / records of them nested to any depth. */
export type SpecStructure = Spec | readonly SpecStructure[] | { readonly [name: string]: SpecStructure };

/**
 * Converts a plain nested structure of specs into a spec: arrays become unnamed
 * {@link StructSpec}s, records named ones; specs are kept as they are.
 *
 * @throws TypeError when a leaf is not a spec (e.g. a tensor), naming its path.
 * @example
 * ```ts
 * toSpec({ x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') }).toString();
 * // '<x=float32[?,784],y=int32[?,1]>'
 * ```
 */
export function toSpec(structure: SpecStructure, path = ''): Spec {
  if (isSpec(structure)) return structure;
  if (Array.isArray(structure)) {
    return new StructSpec((structure as readonly SpecStructure[]).map((s, i) => toSpec(s, joinPath(path, i))));
  }
  if (typeof structure === 'object' && structure !== null && Object.getPrototypeOf(structure) === Object.prototype) {
    const record: Record<string, Spec> = {};
    for (const [k, v] of Object.entries(structure as Record<string, SpecStructure>)) record[k] = toSpec(v, joinPath(path, k));
    return new StructSpec(record);
  }
  throw new TypeError(
    `Expected a TensorSpec (or an array/record of them) at "${path || '(root)'}", found ${describe(structure)}. ` +
      `Describe tensors with new TensorSpec(shape, dtype) rather than passing tensors.`,
  );
}

/** True for any fedkit spec object. */
export function isSpec(value: unknown): value is Spec {
  return (
    value instanceof TensorSpec ||
    value instanceof StructSpec ||
    value instanceof SequenceSpec ||
    value instanceof FederatedSpec ||
    value instanceof FunctionSpec
  );
}

/** `a.b`, `a[0]`: the path notation used in every error message. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
