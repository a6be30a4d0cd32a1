import type { Spec } from './spec.js';

/** One element of a {@link StructSpec}: an optional name and its spec. */
export interface StructElement {
  readonly name: string | undefined;
  readonly spec: Spec;
}

/**
 * An ordered structure of specs whose elements may be named (TFF's
 * `tff.StructType`). A record makes named elements, an array unnamed ones.
 *
 * @example
 * ```ts
 * new StructSpec({ x: new TensorSpec([null, 784]), y: new TensorSpec([null, 1], 'int32') }).toString();
 * // '<x=float32[?,784],y=int32[?,1]>'
 * ```
 */
export class StructSpec {
  readonly kind = 'struct' as const;
  readonly elements: readonly StructElement[];

  /**
   * @param elements a record (named elements, in key order), an array of specs
   *   (unnamed elements) or an array of `{ name, spec }` (names optional).
   */
  constructor(elements: Readonly<Record<string, Spec>> | readonly Spec[] | readonly StructElement[]) {
    this.elements = Object.freeze(
      Array.isArray(elements)
        ? (elements as readonly (Spec | StructElement)[]).map((e) =>
            'kind' in e ? { name: undefined, spec: e } : { name: e.name, spec: e.spec },
          )
        : Object.entries(elements as Record<string, Spec>).map(([name, spec]) => ({ name, spec })),
    );
  }

  /** Builds a struct from `[name, spec]` pairs, where a name may be undefined. */
  static fromEntries(entries: readonly (readonly [string | undefined, Spec])[]): StructSpec {
    return new StructSpec(entries.map(([name, spec]) => ({ name, spec })));
  }

  get length(): number {
    return this.elements.length;
  }

  /** Element names, `undefined` for unnamed ones. */
  get names(): (string | undefined)[] {
    return this.elements.map((e) => e.name);
  }

  /** True when every element has a name. */
  get isNamed(): boolean {
    return this.elements.length > 0 && this.elements.every((e) => e.name !== undefined);
  }

  /** The element called `name`, or the element at index `name`. */
  get(name: string | number): Spec | undefined {
    if (typeof name === 'number') return this.elements[name]?.spec;
    return this.elements.find((e) => e.name === name)?.spec;
  }

  /** Structural equality, names included. */
  equals(other: unknown): boolean {
    return (
      other instanceof StructSpec &&
      other.elements.length === this.elements.length &&
      other.elements.every((e, i) => e.name === this.elements[i]!.name && e.spec.equals(this.elements[i]!.spec))
    );
  }

  /** TFF notation: `<x=float32[?,784],y=int32[?,1]>`, unnamed `<float32,int32>`. */
  toString(): string {
    return `<${this.elements.map((e) => (e.name === undefined ? e.spec.toString() : `${e.name}=${e.spec.toString()}`)).join(',')}>`;
  }
}
