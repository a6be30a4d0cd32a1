import { createFedkitContainer, EXECUTOR_PLUGIN, pluginNames } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { ALGORITHM_PLUGIN } from './algorithm-plugin.js';
import { registerLearning } from './register-learning.js';
import { registerLearning as registerLearningInBrowser } from './register-learning.browser.js';

describe('registerLearning', () => {
  it('in Node registers the in-process and the worker-thread executors', () => {
    expect(pluginNames(registerLearning(createFedkitContainer()), EXECUTOR_PLUGIN)).toEqual(['in-process', 'worker-threads']);
  });

  it("the browser entry's registers the in-process executor only (a browser has no worker_threads) and the same algorithms", () => {
    const browser = registerLearningInBrowser(createFedkitContainer());
    expect(pluginNames(browser, EXECUTOR_PLUGIN)).toEqual(['in-process']);
    expect(pluginNames(browser, ALGORITHM_PLUGIN)).toEqual(pluginNames(registerLearning(createFedkitContainer()), ALGORITHM_PLUGIN));
    expect(pluginNames(browser, ALGORITHM_PLUGIN)).toContain('fedavg');
  });
});

describe("the package's entries", () => {
  it('the Node entry exports what the browser entry does, plus WorkerPoolExecutor and a registerLearning of its own', async () => {
    const node = await import('./index.js');
    const browser = await import('./index.browser.js');
    expect(Object.keys(node).sort()).toEqual([...Object.keys(browser), 'WorkerPoolExecutor'].sort());
    expect(node.registerLearning).toBe(registerLearning);
    expect(browser.registerLearning).toBe(registerLearningInBrowser);
  });
});
