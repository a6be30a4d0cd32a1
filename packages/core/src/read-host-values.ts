import * as tf from '@tensorflow/tfjs';

/** What `readHostValues` uses of tfjs's wasm backend (`BackendWasm`), found by shape so that core does not import it. */
interface HeapBackend {
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
  readonly dataIdMap: { has(dataId: tf.DataId): boolean };
}

/** The dtypes `typedArrayFromHeap` reads (strings and complex values are stored otherwise). */
const HEAP_DTYPES: ReadonlySet<tf.DataType> = new Set(['float32', 'int32', 'bool']);

function isHeapBackend(backend: unknown): backend is HeapBackend {
  const b = backend as Partial<HeapBackend> | undefined;
  return typeof b?.typedArrayFromHeap === 'function' && typeof b.dataIdMap?.has === 'function';
}

/**
 * Calls `read` with `tensor`'s values and returns what it returns, without
 * copying them where the backend keeps them in memory JavaScript can see: on
 * the wasm backend `read` gets a view of the backend's heap, where
 * `dataSync()` would copy them into a new array first (0.8 MB per read for
 * the 2NN's weights, read once per client for its update). Elsewhere it gets
 * `dataSync()`'s result (on cpu the backend's own array, also no copy).
 *
 * The values are only valid during the call, and must not be written: the
 * view is the tensor's memory, and any tfjs operation may move or reuse it
 * (growing the heap detaches it). Copy what must outlive `read`.
 *
 * @example
 * ```ts
 * const total = readHostValues(weights, (values) => values.reduce((a, b) => a + b, 0));
 * const copy = readHostValues(weights, (values) => Float32Array.from(values));
 * ```
 */
export function readHostValues<T>(tensor: tf.Tensor, read: (values: tf.TypedArray) => T): T {
  const backend = tf.backend();
  // Only where the data is on the wasm backend now (not on another backend still, nor disposed: dataSync then
  // moves it or throws tfjs's own error) and of a dtype its heap holds.
  if (HEAP_DTYPES.has(tensor.dtype) && isHeapBackend(backend) && backend.dataIdMap.has(tensor.dataId)) {
    return read(backend.typedArrayFromHeap(tensor));
  }
  return read(tensor.dataSync());
}
