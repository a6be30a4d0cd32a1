import { StructSpec, TensorSpec, ValueError, type AggregatorFactory } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { dpClientSideFixedClipping } from './dp-client-side.js';
import { RdpAccountant } from './rdp-accountant.js';
import { secureSum } from './secure-sum.js';

const spec = (n: number) => new StructSpec([new TensorSpec([n])]);

function stdOf(a: Float32Array): number {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / (a.length - 1));
}

// A test inner aggregator: a plain sum that records what it was given (what a server behind secure aggregation would sum).
function recordingSum(seen: Float32Array[][][]): AggregatorFactory<Record<string, never>> {
  return {
    weighted: false,
    create: (valueSpec) => ({
      weighted: false,
      valueSpec,
      stateSpec: new StructSpec([]),
      measurementsSpec: new StructSpec([]),
      initialize: () => ({}),
      next: async (state, values) => {
        seen.push(values.map((v) => v.map((a) => a.slice())));
        return { state, result: [Float32Array.from(values[0]![0]!, (_, i) => values.reduce((s, v) => s + v[0]![i]!, 0))], measurements: {} };
      },
    }),
  };
}

describe('dpClientSideFixedClipping', () => {
  it('without noise is Σ clip(Δᵢ) / clientsPerRound (fixed denominator)', async () => {
    const agg = dpClientSideFixedClipping({ noiseMultiplier: 0, clippingNorm: 1, clientsPerRound: 4 }).create(spec(2));
    // clip([3, 4]) = [0.6, 0.8]; [0.1, 0.2] is within the norm; sum [0.7, 1.0] / 4
    const out = await agg.next(agg.initialize(), [[Float32Array.of(3, 4)], [Float32Array.of(0.1, 0.2)]]);
    expect(out.result[0]![0]).toBeCloseTo(0.175, 6);
    expect(out.result[0]![1]).toBeCloseTo(0.25, 6);
    expect(out.measurements['clipped_count']).toBe(1);
  });

  it('clips before the inner aggregator sees an upload (the clients clip, not the server)', async () => {
    const seen: Float32Array[][][] = [];
    const agg = dpClientSideFixedClipping({ noiseMultiplier: 0, clippingNorm: 1, clientsPerRound: 2, inner: recordingSum(seen) }).create(spec(2));
    await agg.next(agg.initialize(), [[Float32Array.of(3, 4)], [Float32Array.of(0.1, 0.2)]]);
    expect(Array.from(seen[0]![0]![0]!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('composes with secureSum: the clipped mean up to the quantization step', async () => {
    const agg = dpClientSideFixedClipping({ noiseMultiplier: 0, clippingNorm: 1, clientsPerRound: 2, inner: secureSum({ bound: 1, bits: 16 }) }).create(spec(2));
    const out = await agg.next(agg.initialize(), [[Float32Array.of(3, 4)], [Float32Array.of(0.1, 0.2)]]);
    // step 2/65535 per client: within 1e-4 of [0.35, 0.5]
    expect(Math.abs(out.result[0]![0]! - 0.35)).toBeLessThan(1e-4);
    expect(Math.abs(out.result[0]![1]! - 0.5)).toBeLessThan(1e-4);
    expect(out.measurements['inner']).toMatchObject({ survivors: 2, masks_seeded: 0 });
  });

  it("server noise (Flower's semantics): standard deviation z·C/clientsPerRound on the mean, within 5%", async () => {
    // z = 1.2, C = 0.5, 10 clients: 0.06
    const n = 20_000;
    const agg = dpClientSideFixedClipping({ noiseMultiplier: 1.2, clippingNorm: 0.5, clientsPerRound: 10 }).create(spec(n));
    const out = await agg.next(agg.initialize(), Array.from({ length: 10 }, () => [new Float32Array(n)]));
    expect(Math.abs(stdOf(out.result[0]!) - 0.06) / 0.06).toBeLessThan(0.05);
    expect(out.measurements['noise_stddev']).toBeCloseTo(0.06, 9);
    expect(out.measurements['noise_seeded']).toBe(0);
  });

  it("clients' noise: each adds N(0, (zC)²/n); with 5 of 10 clients the mean's noise is 0.06·√0.5, and ε is charged for it", async () => {
    const n = 20_000;
    const agg = dpClientSideFixedClipping({ noiseMultiplier: 1.2, clippingNorm: 0.5, clientsPerRound: 10, noise: 'clients', totalClients: 100 }).create(spec(n));
    const out = await agg.next(agg.initialize(), Array.from({ length: 5 }, () => [new Float32Array(n)]));
    const expected = 0.06 * Math.SQRT1_2;
    expect(Math.abs(stdOf(out.result[0]!) - expected) / expected).toBeLessThan(0.05);
    expect(out.measurements['noise_stddev']).toBeCloseTo(expected, 9);
    const reference = new RdpAccountant();
    reference.compose(0.1, 1.2 * Math.SQRT1_2, 1);
    expect(out.measurements['epsilon']).toBeCloseTo(reference.getEpsilon(1e-5), 9);
  });

  it('reports the epsilon of z per round with server noise, as the Gaussian mechanism on the sum', async () => {
    const agg = dpClientSideFixedClipping({ noiseMultiplier: 1.1, clippingNorm: 1, clientsPerRound: 10, totalClients: 1000 }).create(spec(1));
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
  });

  it('is reproducible only with testOnlySeed', async () => {
    const run = async (testOnlySeed?: string) => {
      const agg = dpClientSideFixedClipping({ noiseMultiplier: 1, clippingNorm: 1, clientsPerRound: 1, ...(testOnlySeed === undefined ? {} : { testOnlySeed }) }).create(spec(3));
      return Array.from((await agg.next(agg.initialize(), [[new Float32Array(3)]])).result[0]!);
    };
    expect(await run('t')).toEqual(await run('t'));
    expect(await run()).not.toEqual(await run());
  });

  it("throws ValueError on Flower's invalid arguments and TypeError on a weighted inner aggregator", () => {
    expect(() => dpClientSideFixedClipping({ noiseMultiplier: -1, clippingNorm: 1, clientsPerRound: 1 })).toThrow(ValueError);
    expect(() => dpClientSideFixedClipping({ noiseMultiplier: 1, clippingNorm: 0, clientsPerRound: 1 })).toThrow(ValueError);
    expect(() => dpClientSideFixedClipping({ noiseMultiplier: 1, clippingNorm: 1, clientsPerRound: 0 })).toThrow(ValueError);
    const weighted = { ...recordingSum([]), weighted: true };
    expect(() => dpClientSideFixedClipping({ noiseMultiplier: 1, clippingNorm: 1, clientsPerRound: 1, inner: weighted })).toThrow(TypeError);
  });
});
