import type { Spec } from './spec.js';

/**
 * The type of a computation (TFF's `tff.FunctionType`). Printed `(P -> R)`,
 * or `( -> R)` when it takes no parameter.
 */
export class FunctionSpec {
  readonly kind = 'function' as const;

  constructor(
    readonly parameter: Spec | undefined,
    readonly result: Spec,
  ) {}

  equals(other: unknown): boolean {
    if (!(other instanceof FunctionSpec) || !other.result.equals(this.result)) return false;
    if (this.parameter === undefined || other.parameter === undefined) return this.parameter === other.parameter;
    return other.parameter.equals(this.parameter);
  }

  toString(): string {
    return `(${this.parameter === undefined ? '' : this.parameter.toString()} -> ${this.result.toString()})`;
  }
}
