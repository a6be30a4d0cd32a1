import seedrandom from 'seedrandom';

/** Picks the clients of a round. */
export interface ClientSampler {
  /** Client ids (0-based, ascending) taking part in `round` (1-based). */
  sample(round: number): number[];
  /** Plain JSON describing the sampler, stored in checkpoints and `config.json`. */
  readonly state: UniformSamplerState;
}

/** What a uniform sampler needs to be rebuilt exactly (it keeps no hidden RNG state). */
export interface UniformSamplerState {
  readonly kind: 'uniform';
  readonly numClients: number;
  readonly clientsPerRound: number;
  readonly seed: number;
}

/**
 * A seeded uniform client sampler with TFF's `build_uniform_sampling_fn`
 * semantics: each round draws `clientsPerRound` distinct clients uniformly
 * from `0 .. numClients-1`, from a generator seeded by `(seed, round)` only.
 * So round `r` picks the same clients whatever happened before it, which is
 * what makes a resumed run equal to an uninterrupted one.
 *
 * Porting note: TFF seeds numpy's `RandomState([round_num, seed])`; here the
 * generator is seedrandom's ARC4 seeded with `"<seed>:<round>"`, so the
 * clients differ from TFF's while the determinism rule is the same.
 *
 * Costs O(clientsPerRound) time and memory per round, not O(numClients).
 *
 * @throws RangeError when `clientsPerRound` is not in `1 .. numClients`.
 * @example
 * ```ts
 * const sampler = buildUniformSampler({ numClients: 100, clientsPerRound: 10, seed: 0 });
 * sampler.sample(1); // e.g. [3, 8, 17, ...], the same on every run
 * ```
 */
export function buildUniformSampler(options: { numClients: number; clientsPerRound: number; seed: number }): ClientSampler {
  const { numClients, clientsPerRound, seed } = options;
  if (!Number.isInteger(numClients) || numClients < 1) {
    throw new RangeError(`numClients must be a positive integer, found ${numClients}.`);
  }
  if (!Number.isInteger(clientsPerRound) || clientsPerRound < 1 || clientsPerRound > numClients) {
    throw new RangeError(
      `clientsPerRound must be an integer in 1..${numClients} (the number of clients), found ${clientsPerRound}. ` +
        'Lower --clients-per-round or raise --clients.',
    );
  }
  return {
    state: { kind: 'uniform', numClients, clientsPerRound, seed },
    sample(round: number): number[] {
      if (!Number.isInteger(round) || round < 1) throw new RangeError(`round must be a positive integer, found ${round}.`);
      const rng = seedrandom(`${seed}:${round}`);
      // Partial Fisher-Yates over a virtual identity array: only the swapped slots are stored, so a
      // round costs O(clientsPerRound) whatever numClients is, and draws the same clients as the full array.
      const swapped = new Map<number, number>();
      const ids: number[] = [];
      for (let i = 0; i < clientsPerRound; i++) {
        const j = i + Math.floor(rng() * (numClients - i));
        const atJ = swapped.get(j) ?? j;
        swapped.set(j, swapped.get(i) ?? i);
        ids.push(atJ);
      }
      return ids.sort((a, b) => a - b);
    },
  };
}
