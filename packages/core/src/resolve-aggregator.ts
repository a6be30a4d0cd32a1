import type { DependencyContainer } from 'tsyringe';

import { ValueError } from './errors.js';
import { pluginsByName } from './fedkit-container.js';
import type { AggregatorFactory } from './learning-blocks.js';
import { AGGREGATOR_PLUGIN, type AggregatorContext, type AggregatorPlugin } from './plugin-tokens.js';

/**
 * Builds the aggregator a spec names, `name[:arg1[:arg2]]` (the simulator's
 * `--aggregator`), from the plugins registered under `AGGREGATOR_PLUGIN`.
 *
 * @throws ValueError listing the registered forms for an unknown name, or naming a non-numeric argument.
 * @example
 * ```ts
 * const factory = resolveAggregator(container, 'trimmed-mean:0.1', { clients: 100, clientsPerRound: 10, seed: 0 });
 * ```
 */
export function resolveAggregator(container: DependencyContainer, spec: string, context: AggregatorContext): AggregatorFactory {
  const [name = '', ...raw] = spec.split(':');
  const plugins = pluginsByName<AggregatorPlugin>(container, AGGREGATOR_PLUGIN);
  const plugin = plugins.get(name);
  if (plugin === undefined) {
    const forms = [...plugins.values()].map((p) => p.usage).sort();
    throw new ValueError(`Unknown aggregator "${spec}". Valid forms: ${forms.join(', ')}.`);
  }
  const args = raw.map((r) => {
    const n = Number(r);
    if (r.trim() === '' || !Number.isFinite(n)) throw new ValueError(`--aggregator ${spec}: "${r}" is not a number; the form is ${plugin.usage}.`);
    return n;
  });
  return plugin.create(args, context);
}
