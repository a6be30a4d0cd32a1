import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';

import { simdKernelsFor } from './simd-kernels.js';
import { activateWasm } from './wasm-runtime.js';

describe("fedkit's wasm SIMD kernels module", () => {
  it('is the assembly of simd-kernels.wat (the checked-in bytes are not stale)', () => {
    const script = fileURLToPath(new URL('../scripts/assemble-wat.mjs', import.meta.url));

    const check = (): string => execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });

    expect(check).not.toThrow();
  });

  it("instantiates once per backend heap, on the backend's own memory", async () => {
    await activateWasm();
    const backend = tf.backend() as BackendWasm;

    const first = simdKernelsFor(backend);
    const second = simdKernelsFor(backend);

    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(Object.keys(first!).sort()).toEqual(['bias_relu', 'column_sums', 'matmul', 'relu_grad', 'sgd_update', 'transpose']);
  });
});
