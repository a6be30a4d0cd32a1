// Prints how long the data loaders take. Run after building the package:
//   cd packages/datasets && npx tsc -b tsconfig.json && node bench/load-mnist.mjs [runs]
// Fashion-MNIST is timed too when Debian's dataset-fashion-mnist package is installed.
import { existsSync } from 'node:fs';

import {
  clientDataFromPartition,
  loadIdx,
  loadMnist,
  partitionDirichlet,
  partitionIid,
  partitionShards,
} from '../dist/index.js';

const runs = Number(process.argv[2] ?? 5);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(label, fn, n = runs) {
  const ms = [];
  let result;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    result = fn();
    ms.push(performance.now() - t0);
  }
  console.log(`${label}: median ${median(ms).toFixed(0)} ms over ${n} runs (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})`);
  return result;
}

console.log(`node ${process.version}`);
const mnist = time('loadMnist() 10,000 digits, 85/15 split', () => loadMnist());
const y = mnist.train.y;
time('partitionIid(8,500 labels, 100 clients)', () => partitionIid(y, 100));
time('partitionShards(8,500 labels, 100 clients, 2)', () => partitionShards(y, 100, 2));
time('partitionDirichlet(8,500 labels, 100 clients, 0.5)', () => partitionDirichlet(y, 100, 0.5));
const cd = clientDataFromPartition(mnist.train.x, mnist.train.y, partitionIid(y, 100), [784]).preprocess((ds) =>
  ds.shuffle(85, 1).batch(20),
);
time('one pass over all 100 clients as batches of 20 (plain arrays, no tensors)', () => {
  let n = 0;
  for (const ds of cd.datasets()) for (const b of ds.arrays()) n += b.y.shape[0];
  return n;
});

const FASHION = '/usr/share/datasets/fashion-mnist';
if (existsSync(FASHION)) {
  const f = time(`loadIdx('${FASHION}') Fashion-MNIST 60k + 10k (gzip)`, () => loadIdx(FASHION), Math.min(runs, 3));
  console.log(`  train ${f.train.numExamples} x [${f.train.exampleShape}], test ${f.test.numExamples}`);
} else {
  console.log(`Fashion-MNIST not found at ${FASHION} (apt-get install dataset-fashion-mnist to time it)`);
}
