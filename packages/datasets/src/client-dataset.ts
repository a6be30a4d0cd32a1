import { StructSpec, TensorSpec, ValueError } from '@fedkit/core';

import {
  dtypeOf,
  elementSpecOf,
  sizeOf,
  specOfKey,
  toTensors,
  type ArrayElement,
  type NdArray,
  type NdArrayData,
  type TensorBatch,
} from './nd-array.js';
import { createRng, DEFAULT_SEED } from './seeded-rng.js';

type Source = () => Iterator<ArrayElement>;

function iterate(source: Source): Iterable<ArrayElement> {
  return { [Symbol.iterator]: source };
}

function checkCount(name: string, value: number, what: string): void {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new ValueError(`${name} expects ${what} as a non-negative integer, found ${String(value)}.`);
  }
}

/** Options of {@link ClientDataset.fromArrays}. */
export interface FromArraysOptions {
  /** Shape of one example's features, e.g. `[784]` or `[28, 28, 1]`. */
  readonly xShape: readonly number[];
  /** Shape of one example's label; `[1]` by default, so batches of labels are `[batch, 1]`. */
  readonly yShape?: readonly number[];
  /** Which examples (row numbers) this dataset holds, in order; all rows when absent. */
  readonly indices?: ArrayLike<number>;
}

/**
 * One client's data: a lazy pipeline over `{ x, y }` elements in the spirit of
 * tfjs-data / `tf.data` (`batch`, `shuffle`, `repeat`, `take`, `map`).
 *
 * Nothing is computed and no tensor exists until the dataset is iterated, so a
 * federated data set of 10,000 clients costs only its index lists. Elements
 * travel as plain typed arrays ({@link ArrayElement}); iterating the dataset
 * itself (`for (const b of ds)`) turns each element into fresh tensors, so a
 * `ClientDataset` is the `Iterable<Batch>` that fedkit's training loop consumes.
 *
 * Who disposes what: each `{ x, y }` yielded by `[Symbol.iterator]` holds two
 * new tensors owned by the consumer, which must dispose them (core's
 * `disposeBatch(batch)`) once the batch has been used. Breaking out of the loop
 * early leaks nothing: tensors are only made for the batch being yielded.
 * `arrays()` yields plain arrays and makes no tensors at all.
 *
 * Iteration restarts from the beginning on every `for ... of`, as with `tf.data`.
 *
 * @example
 * ```ts
 * const ds = ClientDataset.fromArrays(xs, ys, { xShape: [784] }).shuffle(100, 1).batch(20);
 * for (const batch of ds) {
 *   model.trainOnBatch(batch.x, batch.y);
 *   disposeBatch(batch); // the consumer owns the batch's tensors
 * }
 * ```
 */
export class ClientDataset implements Iterable<TensorBatch> {
  private constructor(
    private readonly source: Source,
    /** Spec of one element, e.g. `<x=float32[784],y=int32[1]>`, or `<x=float32[?,784],y=int32[?,1]>` after `batch`. */
    readonly elementSpec: StructSpec,
    private readonly size: number,
  ) {}

  /**
   * A dataset over rows of flat arrays: example `i` is
   * `x[i*xSize .. (i+1)*xSize)` with `xSize` the product of `xShape`, and
   * likewise for labels. Rows are read as views when iterated, never copied up
   * front.
   *
   * @throws ValueError when the array lengths do not fit the shapes or an index is out of range.
   * @example
   * ```ts
   * const ds = ClientDataset.fromArrays(new Float32Array([1, 2, 3, 4]), new Int32Array([0, 1]), { xShape: [2] });
   * ds.elementSpec.toString(); // '<x=float32[2],y=int32[1]>'
   * ```
   */
  static fromArrays(x: NdArrayData, y: NdArrayData, options: FromArraysOptions): ClientDataset {
    const xShape = Object.freeze([...options.xShape]);
    const yShape = Object.freeze([...(options.yShape ?? [1])]);
    const xSize = sizeOf(xShape);
    const ySize = sizeOf(yShape);
    if (xSize === 0 || ySize === 0) {
      throw new ValueError(`fromArrays expects shapes with at least one value, found xShape [${xShape.join(',')}], yShape [${yShape.join(',')}].`);
    }
    const rows = x.length / xSize;
    if (!Number.isInteger(rows) || y.length !== rows * ySize) {
      throw new ValueError(
        `fromArrays: ${x.length} feature values hold ${rows} examples of shape [${xShape.join(',')}] and ` +
          `${y.length} label values hold ${y.length / ySize} labels of shape [${yShape.join(',')}]; the counts must be equal whole numbers. ` +
          'Check xShape / yShape.',
      );
    }
    const indices = options.indices;
    if (indices !== undefined) {
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        if (!(Number.isInteger(i) && i >= 0 && i < rows)) {
          throw new ValueError(`fromArrays: index ${String(i)} at position ${k} is outside the ${rows} examples [0, ${rows}).`);
        }
      }
    }
    const count = indices === undefined ? rows : indices.length;
    const spec = new StructSpec({ x: new TensorSpec(xShape, dtypeOf(x)), y: new TensorSpec(yShape, dtypeOf(y)) });
    return new ClientDataset(
      function* () {
        for (let k = 0; k < count; k++) {
          const i = indices === undefined ? k : indices[k]!;
          yield {
            x: { data: x.subarray(i * xSize, (i + 1) * xSize), shape: xShape },
            y: { data: y.subarray(i * ySize, (i + 1) * ySize), shape: yShape },
          };
        }
      },
      spec,
      count,
    );
  }

  /**
   * A dataset over the given elements (tfjs-data's `tf.data.array`).
   *
   * @param elementSpec required when `elements` is empty; otherwise taken from the first element.
   * @throws ValueError when elements differ in shape or dtype, or when an empty list comes without a spec.
   * @example
   * ```ts
   * const ds = ClientDataset.fromElements([{ x: { data: new Float32Array([1, 2]), shape: [2] }, y: { data: new Int32Array([0]), shape: [1] } }]);
   * ```
   */
  static fromElements(elements: readonly ArrayElement[], elementSpec?: StructSpec): ClientDataset {
    const first = elements[0];
    if (first === undefined && elementSpec === undefined) {
      throw new ValueError('fromElements needs an elementSpec when the element list is empty.');
    }
    const spec = elementSpec ?? elementSpecOf(first!);
    elements.forEach((el, i) => {
      const s = elementSpecOf(el);
      if (!specAccepts(spec, s)) {
        throw new ValueError(`fromElements: element ${i} has spec ${s.toString()}, expected ${spec.toString()}.`);
      }
    });
    const copy = [...elements];
    return new ClientDataset(() => copy[Symbol.iterator](), spec, copy.length);
  }

  /** An empty dataset with the given element spec. */
  static empty(elementSpec: StructSpec): ClientDataset {
    return new ClientDataset(() => [][Symbol.iterator](), elementSpec, 0);
  }

  /**
   * The elements of every dataset, one dataset after another.
   *
   * @throws ValueError when the list is empty or the element specs differ in dtype or rank.
   * @example
   * ```ts
   * ClientDataset.concatenateAll([a, b]).cardinality(); // a.cardinality() + b.cardinality()
   * ```
   */
  static concatenateAll(datasets: readonly ClientDataset[]): ClientDataset {
    const first = datasets[0];
    if (first === undefined) throw new ValueError('concatenateAll needs at least one dataset.');
    let spec = first.elementSpec;
    for (const d of datasets.slice(1)) spec = mergeSpecs(spec, d.elementSpec);
    const list = [...datasets];
    return new ClientDataset(
      function* () {
        for (const d of list) yield* iterate(d.source);
      },
      spec,
      list.reduce((a, d) => a + d.size, 0),
    );
  }

  /** This dataset followed by `other` (`tf.data.Dataset.concatenate`). */
  concatenate(other: ClientDataset): ClientDataset {
    return ClientDataset.concatenateAll([this, other]);
  }

  /**
   * Number of elements one pass yields, known without iterating; `Infinity`
   * after `repeat()` with no count. Before `batch`, this is the client's number of examples.
   */
  cardinality(): number {
    return this.size;
  }

  /**
   * Groups consecutive elements into batches: element shapes `[784]`/`[1]`
   * become `[n, 784]`/`[n, 1]`. The batch dimension is unknown (`?`) in the
   * element spec unless `dropRemainder` is set, as in `tf.data`.
   *
   * @throws ValueError when `batchSize` is not a positive integer.
   * @example
   * ```ts
   * ds.batch(20).elementSpec.toString(); // '<x=float32[?,784],y=int32[?,1]>'
   * ```
   */
  batch(batchSize: number, options: { readonly dropRemainder?: boolean } = {}): ClientDataset {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ValueError(`batch expects a positive integer batch size, found ${String(batchSize)}.`);
    }
    const dropRemainder = options.dropRemainder ?? false;
    const up = this.source;
    const lead = dropRemainder ? batchSize : null;
    const spec = new StructSpec({
      x: prependDim(specOfKey(this.elementSpec, 'x'), lead),
      y: prependDim(specOfKey(this.elementSpec, 'y'), lead),
    });
    const size = dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
    return new ClientDataset(
      function* () {
        let buffer: ArrayElement[] = [];
        for (const el of iterate(up)) {
          buffer.push(el);
          if (buffer.length === batchSize) {
            yield stackElements(buffer);
            buffer = [];
          }
        }
        if (buffer.length > 0 && !dropRemainder) yield stackElements(buffer);
      },
      spec,
      size,
    );
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements (`tf.data` semantics: a
   * buffer at least as large as the dataset gives a uniform shuffle). Seeded,
   * so the order is the same on every machine; by default each new pass over
   * the dataset is shuffled differently (pass `k` uses seed `${seed}:${k}`).
   *
   * @throws ValueError when `bufferSize` is not a positive integer.
   * @example
   * ```ts
   * ds.shuffle(1000, 7).batch(32);
   * ```
   */
  shuffle(
    bufferSize: number,
    seed: number | string = DEFAULT_SEED,
    options: { readonly reshuffleEachIteration?: boolean } = {},
  ): ClientDataset {
    if (!(Number.isInteger(bufferSize) && bufferSize > 0)) {
      throw new ValueError(`shuffle expects a positive integer buffer size, found ${String(bufferSize)}.`);
    }
    const reshuffle = options.reshuffleEachIteration ?? true;
    const up = this.source;
    let pass = 0;
    return new ClientDataset(
      function* () {
        const rng = createRng(`${String(seed)}:${reshuffle ? pass++ : 0}`);
        const buffer: ArrayElement[] = [];
        const it = up();
        let exhausted = false;
        for (;;) {
          while (!exhausted && buffer.length < bufferSize) {
            const r = it.next();
            if (r.done === true) exhausted = true;
            else buffer.push(r.value);
          }
          if (buffer.length === 0) return;
          const j = Math.floor(rng() * buffer.length);
          const picked = buffer[j]!;
          buffer[j] = buffer[buffer.length - 1]!;
          buffer.pop();
          yield picked;
        }
      },
      this.elementSpec,
      this.size,
    );
  }

  /**
   * Repeats the dataset `count` times (local epochs), forever when `count` is
   * absent. Each repetition is a new pass, so an upstream `shuffle` reshuffles.
   *
   * @example
   * ```ts
   * ds.shuffle(100).repeat(5).batch(20); // 5 local epochs, batches may span epochs as in TFF
   * ```
   */
  repeat(count?: number): ClientDataset {
    if (count !== undefined) checkCount('repeat', count, 'a count');
    const up = this.source;
    const size = count === undefined ? (this.size === 0 ? 0 : Infinity) : this.size * count;
    return new ClientDataset(
      function* () {
        for (let e = 0; count === undefined || e < count; e++) {
          let any = false;
          for (const el of iterate(up)) {
            any = true;
            yield el;
          }
          if (!any) return;
        }
      },
      this.elementSpec,
      size,
    );
  }

  /**
   * The first `count` elements.
   * @example
   * ```ts
   * ds.batch(20).take(10); // at most 10 batches (TFF's max_batches_per_client)
   * ```
   */
  take(count: number): ClientDataset {
    checkCount('take', count, 'a count');
    const up = this.source;
    return new ClientDataset(
      function* () {
        if (count === 0) return;
        let n = 0;
        for (const el of iterate(up)) {
          yield el;
          if (++n >= count) return;
        }
      },
      this.elementSpec,
      Math.min(count, this.size),
    );
  }

  /**
   * Transforms each element as plain arrays (before any tensor exists). `fn`
   * must return new arrays rather than write into its input, which may be a
   * view into the shared data set.
   *
   * The new element spec is `elementSpec` when given; otherwise it is found by
   * calling `fn` once on a zero-filled element, unknown dimensions set to 1, and
   * keeping an unknown leading (batch) dimension unknown.
   *
   * @throws ValueError when the spec cannot be inferred that way (pass `elementSpec`).
   * @example
   * ```ts
   * // [batch, 784] -> [batch, 28, 28, 1] for a CNN
   * ds.batch(20).map((b) => ({ x: { data: b.x.data, shape: [b.x.shape[0]!, 28, 28, 1] }, y: b.y }));
   * ```
   */
  map(fn: (element: ArrayElement) => ArrayElement, elementSpec?: StructSpec): ClientDataset {
    const spec = elementSpec ?? inferMappedSpec(this.elementSpec, fn);
    const up = this.source;
    return new ClientDataset(
      function* () {
        for (const el of iterate(up)) yield fn(el);
      },
      spec,
      this.size,
    );
  }

  /**
   * The elements as plain typed arrays, one per example (or per batch after
   * `batch`); makes no tensors. Arrays may be views into a shared buffer: read
   * them, do not write into them.
   *
   * @example
   * ```ts
   * for (const { x, y } of ds.arrays()) worker.postMessage({ x: x.data.slice(), y: y.data.slice() });
   * ```
   */
  arrays(): Iterable<ArrayElement> {
    return iterate(this.source);
  }

  /**
   * Every element stacked into one `{ x, y }` of new typed arrays with a
   * leading dimension equal to the number of elements: an unbatched client's
   * whole data in two transferable arrays (for a worker thread).
   *
   * @throws ValueError for an infinite dataset or elements of different shapes (e.g. a batched dataset with a short last batch).
   * @example
   * ```ts
   * const { x, y } = clientData.createDatasetForClient('3').toArrays(); // x.shape [n, 784], y.shape [n, 1]
   * ```
   */
  toArrays(): ArrayElement {
    if (this.size === Infinity) throw new ValueError('toArrays cannot collect an infinite dataset; call take(n) first.');
    const all = [...iterate(this.source)];
    if (all.length > 0) return stackElements(all);
    const empty = (s: TensorSpec): NdArray => ({
      data: s.dtype === 'int32' ? new Int32Array(0) : new Float32Array(0),
      shape: [0, ...s.shape.map((d) => d ?? 0)],
    });
    return { x: empty(specOfKey(this.elementSpec, 'x')), y: empty(specOfKey(this.elementSpec, 'y')) };
  }

  /**
   * Yields each element as a new `{ x, y }` of tensors, made lazily; the
   * consumer disposes them. This makes a `ClientDataset` an `Iterable<Batch>`.
   */
  *[Symbol.iterator](): Generator<TensorBatch, void, undefined> {
    for (const el of iterate(this.source)) yield toTensors(el);
  }
}

function prependDim(spec: TensorSpec, dim: number | null): TensorSpec {
  return new TensorSpec([dim, ...spec.shape], spec.dtype);
}

function specAccepts(spec: StructSpec, actual: StructSpec): boolean {
  return (['x', 'y'] as const).every((k) => {
    const s = specOfKey(spec, k);
    const a = specOfKey(actual, k);
    return s.dtype === a.dtype && s.rank === a.rank && s.shape.every((d, i) => d === null || d === a.shape[i]);
  });
}

function mergeSpecs(a: StructSpec, b: StructSpec): StructSpec {
  const merge = (k: 'x' | 'y'): TensorSpec => {
    const sa = specOfKey(a, k);
    const sb = specOfKey(b, k);
    if (sa.dtype !== sb.dtype || sa.rank !== sb.rank) {
      throw new ValueError(`Cannot concatenate datasets with element specs ${a.toString()} and ${b.toString()}: '${k}' differs in dtype or rank.`);
    }
    return new TensorSpec(
      sa.shape.map((d, i) => (d === sb.shape[i] ? d : null)),
      sa.dtype,
    );
  };
  return new StructSpec({ x: merge('x'), y: merge('y') });
}

function stackKey(elements: readonly ArrayElement[], key: 'x' | 'y'): NdArray {
  const first = elements[0]![key];
  const len = first.data.length;
  const isInt = first.data instanceof Int32Array;
  const out = isInt ? new Int32Array(len * elements.length) : new Float32Array(len * elements.length);
  elements.forEach((el, i) => {
    const a = el[key];
    if (a.data instanceof Int32Array !== isInt || a.shape.length !== first.shape.length || a.shape.some((d, j) => d !== first.shape[j])) {
      throw new ValueError(
        `Cannot stack '${key}' of shape [${a.shape.join(',')}] (${dtypeOf(a.data)}) with [${first.shape.join(',')}] (${dtypeOf(first.data)}): ` +
          'elements of a batch must have equal shapes and dtypes.',
      );
    }
    if (a.data.length !== len) {
      throw new ValueError(`Element '${key}' has ${a.data.length} values, expected ${len} for shape [${a.shape.join(',')}].`);
    }
    out.set(a.data, i * len);
  });
  return { data: out, shape: [elements.length, ...first.shape] };
}

function stackElements(elements: readonly ArrayElement[]): ArrayElement {
  return { x: stackKey(elements, 'x'), y: stackKey(elements, 'y') };
}

function probeArray(spec: TensorSpec): NdArray {
  const shape = spec.shape.map((d) => d ?? 1);
  const n = sizeOf(shape);
  return { data: spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n), shape };
}

function inferMappedSpec(spec: StructSpec, fn: (element: ArrayElement) => ArrayElement): StructSpec {
  const xs = specOfKey(spec, 'x');
  const ys = specOfKey(spec, 'y');
  let out: ArrayElement;
  try {
    out = fn({ x: probeArray(xs), y: probeArray(ys) });
  } catch (e) {
    throw new ValueError(
      `map could not infer its element spec by calling the function on a zero-filled ${spec.toString()} element ` +
        `(${e instanceof Error ? e.message : String(e)}); pass the spec: map(fn, elementSpec).`,
      { cause: e },
    );
  }
  const valid = (a: unknown): a is NdArray =>
    typeof a === 'object' &&
    a !== null &&
    ((a as NdArray).data instanceof Float32Array || (a as NdArray).data instanceof Int32Array) &&
    Array.isArray((a as NdArray).shape) &&
    (a as NdArray).data.length === sizeOf((a as NdArray).shape);
  if (typeof out !== 'object' || out === null || !valid(out.x) || !valid(out.y)) {
    throw new ValueError(
      'A map function must return { x, y } where each is { data: Float32Array | Int32Array, shape } with data.length equal to the product of shape.',
    );
  }
  const relax = (inSpec: TensorSpec, outSpec: TensorSpec): TensorSpec =>
    inSpec.shape[0] === null && outSpec.rank > 0 ? outSpec.withUnknownBatch() : outSpec;
  const outSpec = elementSpecOf(out);
  return new StructSpec({ x: relax(xs, specOfKey(outSpec, 'x')), y: relax(ys, specOfKey(outSpec, 'y')) });
}
