import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { SIMD_KERNELS_WASM_BASE64 } from './simd-kernels-wasm.js';

/** The exports of `simd-kernels.wat`; arguments are byte offsets into the backend's heap, sizes, or scalars. */
export interface SimdKernels {
  /**
   * `out = act(bias + a · b)` for row-major `a` (m x k) and `b` (k x n); bias 0 = none; relu 0 or 1. With
   * `w` not 0 (and bias 0, relu 0), `out = w + c · (a · b)` instead: an SGD step whose gradient is `a · b`.
   */
  readonly matmul: (a: number, b: number, bias: number, out: number, m: number, k: number, n: number, relu: number, w: number, c: number) => void;
  /** `out[i] = w[i] + c · g[i]` for i < n. */
  readonly sgd_update: (w: number, g: number, out: number, n: number, c: number) => void;
  /** `dst[c · dstStride + r] = src[r · srcStride + c]` for r < rows, c < cols: a transpose (strides in floats). */
  readonly transpose: (src: number, dst: number, rows: number, cols: number, srcStride: number, dstStride: number) => void;
  /** `z[m, n] = relu(z[m, n] + bias[n])` in place for a rows x cols `z` (bias 0 = none). */
  readonly bias_relu: (z: number, bias: number, rows: number, cols: number) => void;
  /** `out[i] = g[i] · (h[i] > 0 ? 1 : 0)` for i < n (out may be g). */
  readonly relu_grad: (g: number, h: number, out: number, n: number) => void;
  /** `out[n] = Σ_m src[m, n]`, from 0 in row order, for a rows x cols `src`. */
  readonly column_sums: (src: number, out: number, rows: number, cols: number) => void;
}

/** The part of the WebAssembly JS API used here (the package compiles without the DOM typings). */
interface WebAssemblyApi {
  readonly Memory: abstract new (...args: never[]) => object;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** Per heap: the instantiated kernels, or null where they cannot run (no SIMD, a shared-memory threaded build). */
const instances = new WeakMap<object, SimdKernels | null>();

let moduleBytes: Uint8Array | undefined;

function bytes(): Uint8Array {
  moduleBytes ??= Uint8Array.from(atob(SIMD_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  return moduleBytes;
}

/** The backend's heap (Emscripten's `Module.asm.memory`), or undefined when the build does not expose it. */
function heapOf(backend: BackendWasm): object | undefined {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  return wasmApi !== undefined && memory instanceof wasmApi.Memory ? memory : undefined;
}

/**
 * fedkit's SIMD kernels bound to `backend`'s heap, or undefined where they
 * cannot run: the engine lacks wasm SIMD, or the heap is shared memory (the
 * threaded build, which the module's plain memory import does not accept).
 * Callers then use the stock kernels, so results never depend on this.
 */
export function simdKernelsFor(backend: BackendWasm): SimdKernels | undefined {
  const memory = heapOf(backend);
  if (memory === undefined) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    try {
      // A 1.3 kB module: synchronous compilation is allowed everywhere, a browser's main thread included.
      const instance = new wasmApi!.Instance(new wasmApi!.Module(bytes()), { env: { memory } });
      kernels = instance.exports as unknown as SimdKernels;
    } catch {
      kernels = null;
    }
    instances.set(memory, kernels);
  }
  return kernels ?? undefined;
}

/** Where a tensor's values start on the wasm heap, in bytes. */
export function heapOffset(info: { dataId: object }, backend: BackendWasm): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}

/** A float32 view of the whole wasm heap; take a new one after anything that may allocate (growth detaches views). */
export function heapFloat32(backend: BackendWasm): Float32Array {
  return new Float32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}
