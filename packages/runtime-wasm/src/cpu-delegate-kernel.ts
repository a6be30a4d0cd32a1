import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Kernels never delegated: their data (complex, strings, canvases) has no wasm heap representation. */
const NOT_DELEGABLE = new Set(['Complex', 'ComplexAbs', 'FFT', 'IFFT', 'Imag', 'Real', 'Draw', 'StaticRegexReplace']);

/** Whether a kernel's data can travel between the wasm heap and the cpu backend (numbers only). */
export function isDelegable(kernelName: string): boolean {
  return !NOT_DELEGABLE.has(kernelName);
}

/**
 * Builds a wasm kernel that runs tfjs's **cpu** kernel `kernelName`: inputs are
 * copied from the wasm heap into the cpu backend, the cpu kernel runs, and its
 * outputs are copied back onto the wasm heap. Results equal the cpu backend's
 * exactly, at cpu speed plus two copies.
 *
 * Used for kernels stock wasm lacks or computes wrongly where no faster
 * composition of wasm kernels exists (e.g. `UnsortedSegmentSum`, the Embedding
 * gradient; `MaxPool3D`, whose stock wasm kernel returns wrong maxima for some
 * channel counts). `onFirstUse` runs once, before the first call, so callers can
 * say that a kernel fell back to cpu.
 */
export function makeCpuDelegateKernel(kernelName: string, onFirstUse?: () => void): tf.KernelFunc {
  let used = false;
  return (args) => {
    if (!used) {
      used = true;
      onFirstUse?.();
    }
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    const cpu = tf.findBackend('cpu') as tf.KernelBackend | null;
    if (cpuKernel === undefined || cpu === null) {
      throw new Error(
        `@fedkit/runtime-wasm runs kernel '${kernelName}' on the cpu backend for wasm, but ${cpuKernel === undefined ? `the cpu backend has no '${kernelName}' kernel` : 'the cpu backend is not registered'}. ` +
          'Import @tensorflow/tfjs (which registers the cpu backend) rather than @tensorflow/tfjs-core alone.',
      );
    }
    const wasm = args.backend as BackendWasm;
    const made: tf.DataId[] = [];
    const cpuInputs: tf.NamedTensorInfoMap = {};
    for (const [name, info] of Object.entries(args.inputs)) {
      if (info === undefined) continue;
      // slice(): the cpu backend keeps the array, and a heap view is detached when the wasm heap grows.
      const values = (wasm.typedArrayFromHeap(info) as tf.TypedArray).slice();
      const dataId = cpu.write(values, info.shape, info.dtype);
      made.push(dataId);
      cpuInputs[name] = { dataId, shape: info.shape, dtype: info.dtype };
    }
    try {
      const result = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: args.attrs ?? {} });
      const outputs = Array.isArray(result) ? result : [result];
      for (const out of outputs) if (!made.includes(out.dataId)) made.push(out.dataId);
      const onWasm = outputs.map((out) =>
        wasm.makeOutput(out.shape, out.dtype, undefined, cpu.readSync(out.dataId) as tf.TypedArray),
      );
      return Array.isArray(result) ? onWasm : onWasm[0]!;
    } finally {
      for (const dataId of made) cpu.disposeData(dataId, true);
    }
  };
}
