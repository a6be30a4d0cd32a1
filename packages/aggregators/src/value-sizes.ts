import { StructSpec, TensorSpec, ValueError } from '@fedkit/core';

/** Number of elements of each tensor of a value spec (a struct of fully known TensorSpecs). */
export function valueSizes(valueSpec: StructSpec): number[] {
  return valueSpec.elements.map((e, i) => {
    if (!(e.spec instanceof TensorSpec) || e.spec.shape.some((d) => d === null)) {
      throw new ValueError(`Aggregators need a struct of fully known tensor specs; element ${i} is ${e.spec.toString()}.`);
    }
    return e.spec.shape.reduce<number>((p, d) => p * (d as number), 1);
  });
}

/** Throws a ValueError naming the client when a value does not match the sizes. */
export function checkValues(values: readonly (readonly Float32Array[])[], sizes: readonly number[], who: string): void {
  values.forEach((v, c) => {
    if (v.length !== sizes.length || v.some((a, i) => a.length !== sizes[i])) {
      throw new ValueError(`${who}: client value ${c} has sizes [${v.map((a) => a.length).join(',')}], expected [${sizes.join(',')}].`);
    }
  });
}
