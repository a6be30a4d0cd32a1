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
