import { AGGREGATOR_PLUGIN, registerPlugin, ValueError, type AggregatorContext, type AggregatorFactory, type AggregatorPlugin } from '@fedkit/core';
import type { DependencyContainer } from 'tsyringe';

import { bulyan } from './bulyan.js';
import { clipping } from './clipping.js';
import { coordinateMedian } from './coordinate-median.js';
import { dpClientSideFixedClipping } from './dp-client-side.js';
import { dpGaussian } from './dp-gaussian.js';
import { krum } from './krum.js';
import { quantize } from './quantize.js';
import { secureMean } from './secure-sum.js';
import { trimmedMean } from './trimmed-mean.js';
import { zeroing } from './zeroing.js';

/** Options of {@link registerAggregators}. */
export interface RegisterAggregatorsOptions {
  /** The mean that clipping, zeroing and quantization wrap (e.g. @fedkit/learning's `weightedMeanFactory`). */
  readonly mean: () => AggregatorFactory;
}

/** The numeric argument `i` of a spec, or `fallback`. @throws ValueError when missing without fallback. */
function arg(name: string, args: readonly number[], i: number, usage: string, fallback?: number): number {
  const v = args[i];
  if (v !== undefined) return v;
  if (fallback !== undefined) return fallback;
  throw new ValueError(`--aggregator ${name}: parameter ${i + 1} is missing; the form is ${usage}.`);
}

function plugin(name: string, usage: string, description: string, create: (a: (i: number, fallback?: number) => number, ctx: AggregatorContext) => AggregatorFactory): AggregatorPlugin {
  return { name, usage, description, create: (args, ctx) => create((i, fallback) => arg(name, args, i, usage, fallback), ctx) };
}

/**
 * Registers the aggregators of this package under `AGGREGATOR_PLUGIN`, each
 * built from a spec `name:arg1:arg2` (the simulator's `--aggregator`):
 * median, trimmed-mean, krum, bulyan (unweighted robust statistics: they need every
 * update of a round at once), clip, zeroing and quantize (wrappers of the
 * mean: they stream), dp, dp-client and secure (unweighted; dp streams).
 *
 * @example
 * ```ts
 * registerAggregators(container, { mean: weightedMeanFactory });
 * resolvePlugin(container, AGGREGATOR_PLUGIN, 'trimmed-mean').create([0.1], { clients: 100, clientsPerRound: 10, seed: 0 });
 * ```
 */
export function registerAggregators(container: DependencyContainer, options: RegisterAggregatorsOptions): DependencyContainer {
  const all: AggregatorPlugin[] = [
    plugin('median', 'median', 'coordinate-wise median (Yin et al. 2018); needs every update', () => coordinateMedian()),
    plugin('trimmed-mean', 'trimmed-mean[:beta]', 'coordinate-wise trimmed mean, beta per side (default 0.2); needs every update', (a) => trimmedMean({ beta: a(0, 0.2) })),
    plugin('krum', 'krum[:f]', 'Krum (Blanchard et al. 2017) tolerating f Byzantine clients (default 0); needs every update', (a) => krum({ f: a(0, 0) })),
    plugin('clip', 'clip:<norm>', 'clip each update to an L2 norm, then the mean; streams', (a) => clipping(options.mean(), { norm: a(0) })),
    plugin('zeroing', 'zeroing:<threshold>', 'zero updates above an L2 norm, then the mean; streams', (a) => zeroing(options.mean(), { threshold: a(0) })),
    plugin('bulyan', 'bulyan[:f]', 'Bulyan (El Mhamdi et al. 2018) tolerating f Byzantine clients (default 0; needs n >= 4f + 3); needs every update', (a) =>
      bulyan({ f: a(0, 0) }),
    ),
    // DP noise and secure-aggregation masks come from a cryptographically secure source, never from the run's seed.
    plugin('dp', 'dp:<noiseMultiplier>:<clipNorm>', 'server-side DP-FedAvg Gaussian mechanism with an RDP accountant; streams', (a, ctx) =>
      dpGaussian({ noiseMultiplier: a(0), clipping: { norm: a(1) }, clientsPerRound: ctx.clientsPerRound, totalClients: ctx.clients }),
    ),
    plugin('dp-client', 'dp-client:<noiseMultiplier>:<clipNorm>', "client-side DP (Flower's DifferentialPrivacyClientSideFixedClipping): clients clip, the server adds noise", (a, ctx) =>
      dpClientSideFixedClipping({ noiseMultiplier: a(0), clippingNorm: a(1), clientsPerRound: ctx.clientsPerRound, totalClients: ctx.clients }),
    ),
    plugin('secure', 'secure[:bound]', 'secure aggregation by pairwise masks (Bonawitz et al. 2017), values in [-bound, bound]', (a) => secureMean({ bound: a(0, 1) })),
    plugin('quantize', 'quantize[:bits]', 'stochastic quantization of uploads (default 8 bits), then the mean; streams', (a, ctx) =>
      quantize(options.mean(), { bits: a(0, 8), seed: `fedkit-quantize:${ctx.seed}` }),
    ),
  ];
  for (const p of all) registerPlugin(container, AGGREGATOR_PLUGIN, p);
  return container;
}
