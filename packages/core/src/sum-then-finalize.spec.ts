import { describe, expect, it } from 'vitest';

import { ValueError } from './errors.js';
import { sumThenFinalize } from './sum-then-finalize.js';

const ratio = ([num, den]: number[]) => num! / den!;

describe('sumThenFinalize', () => {
  it('sums states of clients of unequal sizes before finalizing', () => {
    // (3 + 1) / (4 + 6) = 0.4; the mean of ratios would be (0.75 + 0.1667) / 2 = 0.458.
    expect(sumThenFinalize({ accuracy: ratio }, [{ accuracy: [3, 4] }, { accuracy: [1, 6] }])).toEqual({ accuracy: 0.4 });
  });

  it('finalizes every metric independently', () => {
    const out = sumThenFinalize(
      { loss: ratio, num_examples: ([n]) => n! },
      [
        { loss: [2, 4], num_examples: [4] },
        { loss: [6, 4], num_examples: [4] },
      ],
    );
    // loss: (2 + 6) / (4 + 4) = 1; num_examples: 4 + 4 = 8.
    expect(out).toEqual({ loss: 1, num_examples: 8 });
  });

  it('throws when a client misses a metric', () => {
    expect(() => sumThenFinalize({ a: ratio, b: ratio }, [{ a: [1, 2] }])).toThrow(ValueError);
    expect(() => sumThenFinalize({ a: ratio, b: ratio }, [{ a: [1, 2] }])).toThrow(/missing: b/);
  });

  it('throws when a client reports an unexpected metric', () => {
    expect(() => sumThenFinalize({ a: ratio }, [{ a: [1, 2], c: [1] }])).toThrow(/unexpected: c/);
  });

  it('throws when state lengths differ between clients', () => {
    expect(() => sumThenFinalize({ a: ratio }, [{ a: [1, 2] }, { a: [1, 2, 3] }])).toThrow(/length 3 at client 1 but 2 at client 0/);
  });
});
