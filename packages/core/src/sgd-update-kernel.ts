/**
 * The name of the fused SGD step kernel, `out = value + c · gradient` (c is
 * `−learningRate`), with inputs `{ value, gradient }` (float32, same shape) and
 * attribute `{ c }`. A runtime may register it for its backend (the wasm
 * runtime does: one pass over the weights instead of a multiply and an add,
 * each making a tensor); fedkit's `sgd` optimizer uses it where the active
 * backend has it and tfjs's two ops elsewhere. A registered kernel must round
 * like those ops: the product to float32, then the sum.
 */
export const SGD_UPDATE_KERNEL = 'FedkitSgdUpdate';
