import seedrandom from 'seedrandom';

/** A seeded standard-normal sampler (Box–Muller over seedrandom's ARC4 stream). */
export function gaussianSampler(seed: string): () => number {
  return boxMuller(seedrandom(seed));
}

/** Standard normals from a uniform source in [0, 1) by the Box–Muller transform (two per pair of uniforms). */
export function boxMuller(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
