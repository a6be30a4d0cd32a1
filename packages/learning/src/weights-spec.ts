import { StructSpec, TensorSpec, type ModelWeightArrays } from '@fedkit/core';

/**
 * The spec of model weights, `<trainable=<float32[2,1],float32[1]>,non_trainable=<>>`.
 * @example
 * ```ts
 * weightsSpecOf(ModelWeights.fromModel(model).toArrays()).toString();
 * ```
 */
export function weightsSpecOf(weights: ModelWeightArrays): StructSpec {
  return new StructSpec({
    trainable: arraysSpec(weights.trainableShapes),
    non_trainable: arraysSpec(weights.nonTrainableShapes),
  });
}

/** The spec of a list of float32 arrays with these shapes: `<float32[2,1],float32[1]>`. */
export function arraysSpec(shapes: readonly (readonly number[])[]): StructSpec {
  return new StructSpec(shapes.map((s) => new TensorSpec(s, 'float32')));
}

/** The trainable part of a weights spec made by {@link weightsSpecOf}. */
export function trainableSpecOf(weightsSpec: StructSpec): StructSpec {
  const t = weightsSpec.get('trainable');
  if (!(t instanceof StructSpec)) {
    throw new TypeError(`Expected a weights spec <trainable=<...>,non_trainable=<...>>, found ${weightsSpec.toString()}.`);
  }
  return t;
}

/** Element sizes of a struct of tensor specs with known shapes. */
export function sizesOf(spec: StructSpec): number[] {
  return spec.elements.map((e) => {
    if (!(e.spec instanceof TensorSpec) || e.spec.shape.some((d) => d === null)) {
      throw new TypeError(`Expected a struct of fully known tensor specs, found ${spec.toString()}.`);
    }
    return e.spec.shape.reduce<number>((a, d) => a * (d as number), 1);
  });
}

/** A deep copy of weight arrays, so that states never share buffers. */
export function copyWeights(w: ModelWeightArrays): ModelWeightArrays {
  return {
    // slice() is a plain memory copy (and unshares arrays over shared memory); Float32Array.from walks an iterator.
    trainable: w.trainable.map((a) => a.slice()),
    nonTrainable: w.nonTrainable.map((a) => a.slice()),
    trainableShapes: w.trainableShapes.map((s) => [...s]),
    nonTrainableShapes: w.nonTrainableShapes.map((s) => [...s]),
  };
}
