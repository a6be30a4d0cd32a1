import { ValueError } from '@fedkit/core';

/** Numbers nested in arrays to any depth, e.g. `number[][]` (rectangular). */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/**
 * Flattens a rectangular nested array in row-major order and returns its shape.
 * @throws ValueError for ragged arrays or non-numbers, naming `where`.
 */
export function flattenNested(value: NestedNumbers, where: string): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const values: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new ValueError(`${where}: expected a number at ${path}, found ${JSON.stringify(v)}.`);
      values.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ValueError(
        `${where}: ragged array at ${path}: expected ${String(shape[depth])} entries like the first row, found ${Array.isArray(v) ? v.length : typeof v}.`,
      );
    }
    v.forEach((c: unknown, i) => walk(c, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { values, shape };
}
