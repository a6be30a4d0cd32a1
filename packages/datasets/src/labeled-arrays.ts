/**
 * A labelled data set held as two flat typed arrays: example `i` is
 * `x[i*size .. (i+1)*size)` (with `size` the product of `exampleShape`) and
 * label `y[i]`.
 */
export interface LabeledArrays {
  /** Features, row-major, `numExamples * product(exampleShape)` values. */
  readonly x: Float32Array;
  /** One integer class label per example. */
  readonly y: Int32Array;
  readonly numExamples: number;
  /** Shape of one example's features, e.g. `[784]` or `[28, 28]`. */
  readonly exampleShape: readonly number[];
}

/** A data set with a train and a test split. */
export interface TrainTestArrays {
  readonly train: LabeledArrays;
  readonly test: LabeledArrays;
  readonly numClasses: number;
}
