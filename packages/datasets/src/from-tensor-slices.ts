import { ValueError } from '@fedkit/core';

import { fromClientsAndFn, type ClientData } from './client-data.js';
import { ClientDataset } from './client-dataset.js';
import { dtypeOf, type NdArray, type NdArrayData } from './nd-array.js';
import { flattenNested, type NestedNumbers } from './nested-array.js';

/**
 * Values for one key of one client in {@link fromTensorSlices}: the first
 * dimension indexes examples. A typed array holds one scalar per example; an
 * {@link NdArray} gives the full shape `[numExamples, ...]`; nested number
 * arrays give their shape by nesting.
 */
export type SliceValues = NdArray | NdArrayData | NestedNumbers;

/** One client's examples for {@link fromTensorSlices}. */
export interface ClientSlices {
  readonly x: SliceValues;
  readonly y: SliceValues;
}

function toRows(v: SliceValues, where: string, integersAsInt: boolean): { data: NdArrayData; rowShape: number[]; rows: number } {
  if (v instanceof Float32Array || v instanceof Int32Array) return { data: v, rowShape: [], rows: v.length };
  if (Array.isArray(v)) {
    const { values, shape } = flattenNested(v as NestedNumbers, where);
    const asInt = integersAsInt && values.every((n) => Number.isInteger(n));
    return { data: asInt ? Int32Array.from(values) : Float32Array.from(values), rowShape: shape.slice(1), rows: shape[0] ?? 0 };
  }
  const nd = v as NdArray;
  if (!(nd.data instanceof Float32Array || nd.data instanceof Int32Array) || nd.shape.length === 0) {
    throw new ValueError(`${where}: expected a Float32Array/Int32Array, nested number arrays or { data, shape } with shape [numExamples, ...].`);
  }
  return { data: nd.data, rowShape: nd.shape.slice(1), rows: nd.shape[0]! };
}

/**
 * A {@link ClientData} from in-memory arrays, one record entry per client
 * (TFF's `TestClientData` / `from_tensor_slices`), for tests and small data.
 *
 * dtypes: typed arrays and `{ data, shape }` keep theirs; plain number arrays
 * become float32 for `x`, and for `y` int32 when every value is an integer
 * (as Python ints become int32 in TF), else float32. A label given one number
 * per example has per-example shape `[]` (batches `[n]`); `[[3], [1]]` gives `[1]` (batches `[n, 1]`).
 *
 * @throws ValueError for no clients, mismatched example counts, or clients whose element specs differ.
 * @example
 * ```ts
 * const cd = fromTensorSlices({
 *   a: { x: [[1, 2], [3, 4]], y: [[0], [1]] },
 *   b: { x: [[5, 6]], y: [[1]] },
 * });
 * cd.elementSpec.toString(); // '<x=float32[2],y=int32[1]>'
 * ```
 */
export function fromTensorSlices(record: Readonly<Record<string, ClientSlices>>): ClientData {
  const byId = new Map<string, ClientDataset>();
  let first: { id: string; spec: string } | undefined;
  for (const [id, slices] of Object.entries(record)) {
    const x = toRows(slices.x, `fromTensorSlices: client "${id}" x`, false);
    const y = toRows(slices.y, `fromTensorSlices: client "${id}" y`, true);
    if (x.rows !== y.rows) {
      throw new ValueError(`fromTensorSlices: client "${id}" has ${x.rows} feature rows but ${y.rows} labels; give one label per example.`);
    }
    if (x.rows === 0) {
      throw new ValueError(`fromTensorSlices: client "${id}" has no examples; leave it out.`);
    }
    const ds = ClientDataset.fromArrays(x.data, y.data, { xShape: x.rowShape, yShape: y.rowShape });
    const spec = ds.elementSpec.toString();
    if (first === undefined) first = { id, spec };
    else if (first.spec !== spec) {
      throw new ValueError(
        `fromTensorSlices: client "${id}" has element spec ${spec} but client "${first.id}" has ${first.spec} ` +
          `(${dtypeOf(x.data)} x, ${dtypeOf(y.data)} y); every client needs the same shapes and dtypes.`,
      );
    }
    byId.set(id, ds);
  }
  if (byId.size === 0) throw new ValueError('fromTensorSlices needs at least one client.');
  return fromClientsAndFn([...byId.keys()], (id) => byId.get(id)!);
}
