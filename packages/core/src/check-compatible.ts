import { isTensorLike } from './batch.js';
import { ValueError } from './errors.js';
import type { Spec } from './spec.js';
import { StructSpec } from './struct-spec.js';
import { TensorSpec } from './tensor-spec.js';
import { joinPath } from './to-spec.js';

/**
 * Checks that `value` fits `spec`: same structure, dtype and rank, and equal
 * sizes for every known (non-null) dimension. A named struct accepts a record
 * with exactly its keys, or an array matched by position.
 *
 * @param path where `value` sits in the batch (`y`, `x.a`), used in messages.
 * @throws ValueError naming the path, the expected spec and what was found, e.g.
 *   `batch element "y" has dtype float32 but input_spec expects int32[?,1]`.
 */
export function checkCompatible(spec: Spec, value: unknown, path = ''): void {
  const where = `batch element "${path || '(root)'}"`;
  if (spec instanceof TensorSpec) {
    if (!isTensorLike(value)) {
      throw new ValueError(`${where} is ${describeValue(value)} but input_spec expects a tensor ${spec.toString()}.`);
    }
    if (value.dtype !== spec.dtype) {
      throw new ValueError(`${where} has dtype ${value.dtype} but input_spec expects ${spec.toString()}. Cast it when building the dataset.`);
    }
    if (value.rank !== spec.rank) {
      throw new ValueError(
        `${where} has rank ${value.rank} (shape [${value.shape.join(',')}]) but input_spec expects ${spec.toString()} (rank ${spec.rank}).`,
      );
    }
    spec.shape.forEach((d, i) => {
      if (d !== null && d !== value.shape[i]) {
        throw new ValueError(
          `${where} has shape [${value.shape.join(',')}] but input_spec expects ${spec.toString()}: dimension ${i} must be ${d}.`,
        );
      }
    });
    return;
  }
  if (spec instanceof StructSpec) {
    if (isTensorLike(value)) {
      throw new ValueError(`${where} is a tensor ${value.dtype}[${value.shape.join(',')}] but input_spec expects a structure ${spec.toString()}.`);
    }
    if (Array.isArray(value)) {
      if (value.length !== spec.length) {
        throw new ValueError(`${where} has ${value.length} elements but input_spec expects ${spec.length}: ${spec.toString()}.`);
      }
      spec.elements.forEach((e, i) => checkCompatible(e.spec, value[i], joinPath(path, e.name ?? i)));
      return;
    }
    if (typeof value !== 'object' || value === null) {
      throw new ValueError(`${where} is ${describeValue(value)} but input_spec expects a structure ${spec.toString()}.`);
    }
    if (!spec.isNamed) {
      throw new ValueError(`${where} is a record but input_spec expects an unnamed structure ${spec.toString()}; pass an array.`);
    }
    const record = value as Record<string, unknown>;
    for (const e of spec.elements) {
      if (!(e.name! in record) || record[e.name!] === undefined) {
        throw new ValueError(`${where} has no key "${e.name}" but input_spec expects ${spec.toString()}.`);
      }
      checkCompatible(e.spec, record[e.name!], joinPath(path, e.name!));
    }
    const unexpected = Object.keys(record).filter((k) => spec.get(k) === undefined && record[k] !== undefined);
    if (unexpected.length > 0) {
      throw new ValueError(`${where} has unexpected key(s) ${unexpected.map((k) => `"${k}"`).join(', ')}; input_spec expects ${spec.toString()}.`);
    }
    return;
  }
  throw new ValueError(`checkCompatible supports tensor and struct specs, found ${spec.toString()}.`);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} elements`;
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a record';
  return `a ${typeof value}`;
}

