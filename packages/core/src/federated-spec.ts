import type { Placement } from './placements.js';
import type { Spec } from './spec.js';

/**
 * A value placed at the server or at the clients (TFF's `tff.FederatedType`).
 * `allEqual` defaults to true at the server and false at the clients, as in TFF.
 * Printed `T@SERVER`, `{T}@CLIENTS` (one member per client), `T@CLIENTS` when all equal.
 */
export class FederatedSpec {
  readonly kind = 'federated' as const;
  readonly allEqual: boolean;

  constructor(
    readonly member: Spec,
    readonly placement: Placement,
    allEqual?: boolean,
  ) {
    this.allEqual = allEqual ?? placement === 'SERVER';
  }

  equals(other: unknown): boolean {
    return (
      other instanceof FederatedSpec &&
      other.placement === this.placement &&
      other.allEqual === this.allEqual &&
      other.member.equals(this.member)
    );
  }

  toString(): string {
    const member = this.member.toString();
    return `${this.allEqual ? member : `{${member}}`}@${this.placement}`;
  }
}
