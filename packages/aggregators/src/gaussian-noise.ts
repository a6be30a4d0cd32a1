import seedrandom from 'seedrandom';

/** A seeded standard-normal sampler (Box–Muller over seedrandom's ARC4 stream). */
export function gaussianSampler(seed: string): () => number {
  const rng = seedrandom(seed);
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
