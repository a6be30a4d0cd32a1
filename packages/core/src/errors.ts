/**
 * Raised when a value has the right type but an unacceptable content: a spec that
 * does not match, a length that differs, an unknown name. Mirrors Python's
 * `ValueError`, which TFF and Keras raise in the same situations.
 *
 * @example
 * ```ts
 * try { resolveLoss(container, 'nope'); } catch (e) { if (e instanceof ValueError) console.error(e.message); }
 * ```
 */
export class ValueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ValueError';
    // Keeps `instanceof` working when compiled to older targets or bundled twice.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * Raised when a key of a record is missing or unexpected (Python's `KeyError`),
 * e.g. a loss record whose keys differ from a model's output names.
 */
export class KeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeyError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * Raised when a class label lies outside `[0, numClasses)`: a sparse loss or
 * metric would otherwise train or score silently on it (TensorFlow's CPU kernels
 * raise `InvalidArgumentError: Received a label value of 12 which is outside the
 * valid range of [0, 10)` in the same case).
 *
 * @example
 * ```ts
 * try { loss.call(labels, predictions); } catch (e) { if (e instanceof LabelRangeError) console.error(e.label, e.numClasses); }
 * ```
 */
export class LabelRangeError extends ValueError {
  constructor(
    message: string,
    /** The label found. */
    readonly label: number,
    /** Its flat index among the batch's labels. */
    readonly index: number,
    /** The number of classes of the predictions; valid labels are `[0, numClasses)`. */
    readonly numClasses: number,
  ) {
    super(message);
    this.name = 'LabelRangeError';
  }
}
