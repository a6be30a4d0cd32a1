import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { SMALL_MAT_MUL_WASM_BASE64 } from './small-mat-mul-wasm.js';

/** The one export of `small-mat-mul.wat`; all arguments are byte offsets into the backend's heap, or sizes. */
type MatMulExport = (a: number, b: number, bias: number, out: number, m: number, k: number, n: number, relu: number) => void;

/**
 * Rows of `a` up to which the small-batch kernel always runs. Measured on the 2-core host
 * (`node packages/runtime-wasm/bench/small-mat-mul.mjs`): with a new `b` each call (every SGD step)
 * stock XNNPACK spends most of its time packing `b` (0.58 ms vs 0.12 ms at 10 x 784 x 200); with `b`
 * already packed (the same weights batch after batch, as in evaluation) this kernel is 10-20% ahead
 * up to 32 rows, and from 50 rows the two are even, so XNNPACK keeps what it has packed.
 */
export const SMALL_MAT_MUL_MAX_ROWS = 32;

/** The part of the WebAssembly JS API used here (the package compiles without the DOM typings). */
interface WebAssemblyApi {
  readonly Memory: abstract new (...args: never[]) => object;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** Per heap: the instantiated kernel, or null where it cannot run (no SIMD, a shared-memory threaded build). */
const instances = new WeakMap<object, MatMulExport | null>();

let moduleBytes: Uint8Array | undefined;

function bytes(): Uint8Array {
  moduleBytes ??= Uint8Array.from(atob(SMALL_MAT_MUL_WASM_BASE64), (c) => c.charCodeAt(0));
  return moduleBytes;
}

/** The backend's heap (Emscripten's `Module.asm.memory`), or undefined when the build does not expose it. */
function heapOf(backend: BackendWasm): object | undefined {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  return wasmApi !== undefined && memory instanceof wasmApi.Memory ? memory : undefined;
}

/**
 * The small-batch kernel bound to `backend`'s heap, or undefined where it
 * cannot run: the engine lacks wasm SIMD, or the heap is shared memory (the
 * threaded build, which the module's plain memory import does not accept).
 * Then the stock kernels run, so results never depend on the fast path.
 */
function kernelFor(backend: BackendWasm): MatMulExport | undefined {
  const memory = heapOf(backend);
  if (memory === undefined) return undefined;
  let kernel = instances.get(memory);
  if (kernel === undefined) {
    try {
      // A 1 kB module: synchronous compilation is allowed everywhere, a browser's main thread included.
      const instance = new wasmApi!.Instance(new wasmApi!.Module(bytes()), { env: { memory } });
      kernel = instance.exports['matmul'] as MatMulExport;
    } catch {
      kernel = null;
    }
    instances.set(memory, kernel);
  }
  return kernel ?? undefined;
}

/** Where a tensor's values start on the wasm heap, in bytes. */
function offsetOf(info: tf.TensorInfo, backend: BackendWasm): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}

let enabled = true;

/**
 * Turns the small-batch matmul path on (the default) or off in this thread,
 * e.g. to compare with XNNPACK alone in a benchmark. Results do not change:
 * both paths give the same bits.
 */
export function setSmallMatMulEnabled(on: boolean): void {
  enabled = on;
}

/** Whether the small-batch matmul path is on in this thread (see {@link setSmallMatMulEnabled}). */
export function smallMatMulEnabled(): boolean {
  return enabled;
}

/** The `b` operands the small-batch kernel has already seen (see {@link useSmallMatMul}). */
const seen = new WeakSet<object>();

/**
 * Whether `a · b` (plain layout, float32, every batch dimension 1) should run
 * on the small-batch kernel: always up to {@link SMALL_MAT_MUL_MAX_ROWS} rows;
 * above that only the first time this `b` is seen, since XNNPACK's packed copy
 * of a `b` used again (evaluation batches over fixed weights) is then
 * slightly faster than reading `b` in place.
 */
export function useSmallMatMul(a: tf.TensorInfo, b: tf.TensorInfo, backend: BackendWasm): boolean {
  if (!enabled) return false;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return false;
  if (a.shape.slice(0, -2).some((d) => d !== 1) || b.shape.slice(0, -2).some((d) => d !== 1)) return false;
  if (kernelFor(backend) === undefined) return false;
  const first = !seen.has(b.dataId);
  seen.add(b.dataId);
  return first || a.shape[a.shape.length - 2]! <= SMALL_MAT_MUL_MAX_ROWS;
}

/**
 * `a · b (+ bias)`, optionally through relu, on the small-batch kernel: `a`
 * is `[1.., M, K]`, `b` is `[1.., K, N]`, bias (if any) has N values; the
 * result is `[1.., M, N]` with the larger of the two ranks, like the stock
 * kernel's. Equal to stock XNNPACK's result to the bit (same order of f32
 * operations), without packing `b`. The caller checks {@link useSmallMatMul}.
 */
export function smallMatMul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
  backend: BackendWasm,
): tf.TensorInfo {
  const kernel = kernelFor(backend)!;
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape[b.shape.length - 1]!;
  if (b.shape[b.shape.length - 2] !== k) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${b.shape[b.shape.length - 2]}) of Tensors with shapes ${JSON.stringify(a.shape)} and ${JSON.stringify(b.shape)} must match.`);
  }
  const rank = Math.max(a.shape.length, b.shape.length);
  const out = backend.makeOutput([...Array<number>(rank - 2).fill(1), m, n], 'float32');
  if (m * n === 0) return out;
  // Offsets are read after makeOutput: allocating may grow the heap, which keeps offsets but not views.
  kernel(offsetOf(a, backend), offsetOf(b, backend), bias === undefined ? 0 : offsetOf(bias, backend), offsetOf(out, backend), m, k, n, relu ? 1 : 0);
  return out;
}
