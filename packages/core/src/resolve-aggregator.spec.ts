import { describe, expect, it } from 'vitest';

import { createFedkitContainer, registerPlugin } from './fedkit-container.js';
import { ValueError } from './errors.js';
import type { AggregatorFactory } from './learning-blocks.js';
import { AGGREGATOR_PLUGIN, type AggregatorPlugin } from './plugin-tokens.js';
import { resolveAggregator } from './resolve-aggregator.js';

const made: { args: readonly number[]; clients: number }[] = [];
const fake: AggregatorPlugin = {
  name: 'trimmed',
  usage: 'trimmed[:beta]',
  description: 'test',
  create: (args, ctx) => {
    made.push({ args, clients: ctx.clients });
    return { weighted: false } as unknown as AggregatorFactory;
  },
};

describe('resolveAggregator', () => {
  it('parses name:arg:arg into numbers and hands them with the context to the named plugin', () => {
    const c = createFedkitContainer();
    registerPlugin(c, AGGREGATOR_PLUGIN, fake);
    resolveAggregator(c, 'trimmed:0.1:3', { clients: 100, clientsPerRound: 10, seed: 0 });
    expect(made.at(-1)).toEqual({ args: [0.1, 3], clients: 100 });
  });

  it('lists the registered forms for an unknown name, and names a non-numeric argument', () => {
    const c = createFedkitContainer();
    registerPlugin(c, AGGREGATOR_PLUGIN, fake);
    expect(() => resolveAggregator(c, 'median', { clients: 1, clientsPerRound: 1, seed: 0 })).toThrow(ValueError);
    expect(() => resolveAggregator(c, 'median', { clients: 1, clientsPerRound: 1, seed: 0 })).toThrow('Unknown aggregator "median". Valid forms: trimmed[:beta].');
    expect(() => resolveAggregator(c, 'trimmed:x', { clients: 1, clientsPerRound: 1, seed: 0 })).toThrow('--aggregator trimmed:x: "x" is not a number; the form is trimmed[:beta].');
  });
});
