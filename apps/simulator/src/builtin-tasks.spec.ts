import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ValueError } from '@fedkit/core';
import { describe, expect, it } from 'vitest';

import { fashionMnist2nn, loadFashionMnist } from './builtin-tasks.js';
import { partitionFor } from './partition-for.js';
import { DEFAULT_CONFIG } from './simulator-config.js';

// Load and shape only: training on Fashion-MNIST lives in bench/fashion-mnist-fedsgd-vs-fedavg.mjs.
describe('Fashion-MNIST built-in tasks (Debian dataset-fashion-mnist)', () => {
  it("fashion-mnist-2nn loads the FedAvg paper's scale: 60,000 train / 10,000 test 784-vectors, 600 per client over the default 100 IID clients", async () => {
    const data = await fashionMnist2nn.loadData({ seed: 0, splitSeed: 0 });
    expect([data.train.numExamples, data.test.numExamples, data.numClasses]).toEqual([60000, 10000, 10]);
    expect(data.train.exampleShape).toEqual([784]);
    expect(data.train.x.length).toBe(60000 * 784);
    const partition = partitionFor(DEFAULT_CONFIG.partition, data.train.y, DEFAULT_CONFIG.clients, 0);
    expect(partition).toHaveLength(100);
    expect(new Set(partition.map((p) => p.length))).toEqual(new Set([600]));
    const model = fashionMnist2nn.createKerasModel(0);
    // 784*200 + 200 + 200*200 + 200 + 200*10 + 10: the paper's 2NN.
    expect(model.countParams()).toBe(199210);
    model.dispose();
  }, 120_000);

  it('names the Debian package when the files are missing', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'no-fmnist-')), 'fashion-mnist');
    expect(() => loadFashionMnist('fashion-mnist-2nn', missing)).toThrow(ValueError);
    expect(() => loadFashionMnist('fashion-mnist-2nn', missing)).toThrow(/fashion-mnist-2nn.*does not exist.*dataset-fashion-mnist.*apt-get install/);
  });
});
