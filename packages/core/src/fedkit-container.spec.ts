import { afterEach, describe, expect, it, vi } from 'vitest';

import { ValueError } from './errors.js';
import { createFedkitContainer, pluginNames, registerPlugin, resolvePlugin } from './fedkit-container.js';
import type { Loss } from './loss.js';
import { LOSS_PLUGIN, type LossPlugin } from './plugin-tokens.js';
import { resolveLoss } from './resolve-loss.js';

const lossPlugin = (name: string, value = 0): LossPlugin => ({
  name,
  create: (): Loss => ({ name, call: () => ({ value }) as never }),
});

describe('plugin container', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('does not leak a plugin registered in a child container into its parent', () => {
    const parent = createFedkitContainer();
    registerPlugin(parent, LOSS_PLUGIN, lossPlugin('mse'));
    const child = createFedkitContainer(parent);
    registerPlugin(child, LOSS_PLUGIN, lossPlugin('focal'));
    expect(pluginNames(parent, LOSS_PLUGIN)).toEqual(['mse']);
    expect(pluginNames(child, LOSS_PLUGIN)).toEqual(['focal', 'mse']);
  });

  it('lets a child see its parent plugins before it registers any', () => {
    const parent = createFedkitContainer();
    registerPlugin(parent, LOSS_PLUGIN, lossPlugin('mse'));
    const child = createFedkitContainer(parent);
    expect(resolveLoss(child, 'mse').name).toBe('mse');
  });

  it('replaces a plugin registered twice under one name, with a warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const c = createFedkitContainer();
    registerPlugin(c, LOSS_PLUGIN, lossPlugin('mse', 1));
    registerPlugin(c, LOSS_PLUGIN, lossPlugin('mse', 2));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/"mse" is already registered/);
    expect(pluginNames(c, LOSS_PLUGIN)).toEqual(['mse']);
    expect((resolvePlugin(c, LOSS_PLUGIN, 'mse', 'loss').create().call(null as never, null as never) as unknown as { value: number }).value).toBe(2);
  });

  it('throws a ValueError listing the registered names for an unknown name', () => {
    const c = createFedkitContainer();
    registerPlugin(c, LOSS_PLUGIN, lossPlugin('mse'));
    registerPlugin(c, LOSS_PLUGIN, lossPlugin('hinge'));
    expect(() => resolveLoss(c, 'msee')).toThrow(ValueError);
    expect(() => resolveLoss(c, 'msee')).toThrow(/Unknown loss "msee"\. Registered losses: hinge, mse\. Register it first \(e\.g\. registerLosses\(container\)\)/);
  });

  it('wraps a loss function into a Loss named after the function', () => {
    const c = createFedkitContainer();
    function myLoss(): never {
      throw new Error('not called');
    }
    expect(resolveLoss(c, myLoss).name).toBe('myLoss');
  });

  it('throws a TypeError for a loss that is neither name, Loss nor function', () => {
    const c = createFedkitContainer();
    expect(() => resolveLoss(c, 42 as never)).toThrow(TypeError);
    expect(() => resolveLoss(c, null as never)).toThrow(/found null/);
  });
});
