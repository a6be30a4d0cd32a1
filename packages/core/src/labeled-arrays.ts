/**
 * A labelled data set held as two flat typed arrays: example `i` is
 * `x[i*size .. (i+1)*size)` (with `size` the product of `exampleShape`) and
 * its label `y[i*lsize .. (i+1)*lsize)` (with `lsize` the product of
 * `labelShape`, 1 for a class id). The one array type shared by the data
 * loaders, the simulator and the executors (it crosses to worker threads in
 * shared memory).
 */
export interface LabeledArrays {
  /** Features, row-major, `numExamples * product(exampleShape)` values. */
  readonly x: Float32Array;
  /** Labels: integer class ids (Int32Array), or float targets with `labelShape`. */
  readonly y: Int32Array | Float32Array;
  readonly numExamples: number;
  /** Shape of one example's features, e.g. `[784]` or `[28, 28, 1]`. */
  readonly exampleShape: readonly number[];
  /** Shape of one example's label; default `[]` (a scalar class id or target). */
  readonly labelShape?: readonly number[];
}

/** A data set with a train and a test split. */
export interface TrainTestArrays {
  readonly train: LabeledArrays;
  readonly test: LabeledArrays;
  readonly numClasses: number;
}
