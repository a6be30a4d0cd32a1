import type { Spec } from './spec.js';

/**
 * A sequence of elements of one spec, e.g. a client's dataset of batches
 * (TFF's `tff.SequenceType`). Printed `T*`.
 */
export class SequenceSpec {
  readonly kind = 'sequence' as const;

  constructor(readonly element: Spec) {}

  equals(other: unknown): boolean {
    return other instanceof SequenceSpec && other.element.equals(this.element);
  }

  toString(): string {
    return `${this.element.toString()}*`;
  }
}
