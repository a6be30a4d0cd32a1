import { StructSpec, TensorSpec } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { dpGaussian } from './dp-gaussian.js';
import { RdpAccountant } from './rdp-accountant.js';

const spec = (n: number) => new StructSpec([new TensorSpec([n])]);

describe('dpGaussian', () => {
  it('equals the mean of clipped updates when noiseMultiplier is 0', async () => {
    const agg = dpGaussian({ noiseMultiplier: 0, clientsPerRound: 2, clipping: { norm: 1 } }).create(spec(2));
    // clip([3, 4]) = [0.6, 0.8]; [0.1, 0.2] unchanged; mean [0.35, 0.5]
    const { result } = await agg.next(agg.initialize(), [[Float32Array.of(3, 4)], [Float32Array.of(0.1, 0.2)]]);
    expect(result[0]![0]).toBeCloseTo(0.35, 6);
    expect(result[0]![1]).toBeCloseTo(0.5, 6);
  });

  it('adds noise of standard deviation z · C / clientsPerRound (within 5%)', async () => {
    // z = 1.2, C = 0.5, 10 clients: std 0.06 on every coordinate of the mean
    const n = 20_000;
    // the default (cryptographically secure) noise source
    const agg = dpGaussian({ noiseMultiplier: 1.2, clientsPerRound: 10, clipping: { norm: 0.5 } }).create(spec(n));
    const zeros = Array.from({ length: 10 }, () => [new Float32Array(n)]);
    const { result, measurements } = await agg.next(agg.initialize(), zeros);
    const a = result[0]!;
    const mean = a.reduce((s, v) => s + v, 0) / n;
    const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(std - 0.06) / 0.06).toBeLessThan(0.05);
    expect(measurements['noise_stddev']).toBeCloseTo(0.06, 9);
  });

  it('reports the epsilon spent so far for the sampling rate in use', async () => {
    const agg = dpGaussian({ noiseMultiplier: 1.1, clientsPerRound: 10, totalClients: 1000, clipping: { norm: 1 } }).create(spec(1));
    let state = agg.initialize();
    let epsilon = 0;
    for (let r = 0; r < 3; r++) {
      const out = await agg.next(state, [[Float32Array.of(0)]]);
      state = out.state;
      epsilon = out.measurements['epsilon'] as number;
    }
    const reference = new RdpAccountant();
    reference.compose(0.01, 1.1, 3);
    expect(epsilon).toBeCloseTo(reference.getEpsilon(1e-5), 9);
    expect(state.round).toBe(3);
  });

  it('draws noise that no experiment seed reproduces (issue #16: a public seed let anyone subtract the noise)', async () => {
    // Same options, same (deprecated, ignored) seed, same round: the noise must still differ.
    const make = () => dpGaussian({ noiseMultiplier: 1, clientsPerRound: 1, clipping: { norm: 1 }, seed: 'fedkit-dp:0' }).create(spec(3));
    const a = make();
    const b = make();
    const ra = await a.next(a.initialize(), [[Float32Array.of(0, 0, 0)]]);
    const rb = await b.next(b.initialize(), [[Float32Array.of(0, 0, 0)]]);
    expect(Array.from(ra.result[0]!)).not.toEqual(Array.from(rb.result[0]!));
    expect(ra.measurements['noise_seeded']).toBe(0);
  });

  it('draws the same noise for the same testOnlySeed and round, and reports noise_seeded 1', async () => {
    const make = () => dpGaussian({ noiseMultiplier: 1, clientsPerRound: 1, clipping: { norm: 1 }, testOnlySeed: 's' }).create(spec(3));
    const a = make();
    const b = make();
    const ra = await a.next(a.initialize(), [[Float32Array.of(0, 0, 0)]]);
    const rb = await b.next(b.initialize(), [[Float32Array.of(0, 0, 0)]]);
    expect(Array.from(ra.result[0]!)).toEqual(Array.from(rb.result[0]!));
    expect(ra.measurements['noise_seeded']).toBe(1);
  });
});
