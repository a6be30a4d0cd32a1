import { ValueError, type AggregatorFactory } from '@fedkit/core';
import { clipping, coordinateMedian, dpGaussian, krum, quantize, secureMean, trimmedMean, zeroing } from '@fedkit/aggregators';
import { weightedMeanFactory } from '@fedkit/learning';

/** The forms `--aggregator` accepts (a `:` introduces parameters). */
export const AGGREGATORS = [
  'mean',
  'median',
  'trimmed-mean[:beta]',
  'krum[:f]',
  'clip:<norm>',
  'zeroing:<threshold>',
  'dp:<noiseMultiplier>:<clipNorm>',
  'secure[:bound]',
  'quantize[:bits]',
] as const;

/** What an aggregator needs to know about the run. */
export interface AggregatorContext {
  readonly clients: number;
  readonly clientsPerRound: number;
  readonly seed: number;
}

/**
 * Builds the model aggregator named by `--aggregator`; `undefined` for `mean`
 * (the algorithm's own weighted mean). Robust, DP and secure aggregators are
 * unweighted, so the algorithm runs its unweighted variant with them.
 * @throws ValueError listing the valid forms for an unknown name or a bad parameter.
 * @example
 * ```ts
 * buildAggregator('trimmed-mean:0.2', { clients: 100, clientsPerRound: 10, seed: 0 });
 * ```
 */
export function buildAggregator(spec: string, ctx: AggregatorContext): AggregatorFactory | undefined {
  const [name, ...params] = spec.split(':');
  const num = (i: number, fallback?: number): number => {
    const raw = params[i];
    if (raw === undefined) {
      if (fallback !== undefined) return fallback;
      throw new ValueError(`--aggregator ${spec}: parameter ${i + 1} is missing. Valid forms: ${AGGREGATORS.join(', ')}.`);
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new ValueError(`--aggregator ${spec}: "${raw}" is not a number.`);
    return n;
  };
  switch (name) {
    case 'mean':
      return undefined;
    case 'median':
      return coordinateMedian();
    case 'trimmed-mean':
      return trimmedMean({ beta: num(0, 0.2) });
    case 'krum':
      return krum({ f: num(0, 0) });
    case 'clip':
      return clipping(weightedMeanFactory(), { norm: num(0) });
    case 'zeroing':
      return zeroing(weightedMeanFactory(), { threshold: num(0) });
    case 'dp':
      return dpGaussian({
        noiseMultiplier: num(0),
        clipping: { norm: num(1) },
        clientsPerRound: ctx.clientsPerRound,
        totalClients: ctx.clients,
        seed: `fedkit-dp:${ctx.seed}`,
      });
    case 'secure':
      return secureMean({ bound: num(0, 1), seed: `fedkit-secagg:${ctx.seed}` });
    case 'quantize':
      return quantize(weightedMeanFactory(), { bits: num(0, 8), seed: `fedkit-quantize:${ctx.seed}` });
    default:
      throw new ValueError(`Unknown aggregator "${spec}". Valid forms: ${AGGREGATORS.join(', ')}.`);
  }
}
