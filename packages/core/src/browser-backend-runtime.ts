import * as tf from '@tensorflow/tfjs';

import type { RuntimePlugin } from './plugin-tokens.js';

/** True in a browser page or web worker (tfjs's own `IS_BROWSER` flag). */
export function isBrowser(): boolean {
  return tf.env().getBool('IS_BROWSER');
}

/**
 * A tfjs backend that a browser provides: `webgpu` and `webgl` come with
 * `@tensorflow/tfjs` (webgpu with `@tensorflow/tfjs-backend-webgpu`), `wasm`
 * with `@tensorflow/tfjs-backend-wasm`. {@link selectRuntime} adds these in a
 * browser, so `'auto'` prefers webgpu, then webgl, then wasm, and only then the
 * cpu backend (in Node the runtime packages register their own runtimes).
 * @example
 * ```ts
 * await new BrowserBackendRuntime('webgl', 30, 'gpu').activate(); // tf.getBackend() === 'webgl'
 * ```
 */
export class BrowserBackendRuntime implements RuntimePlugin {
  constructor(
    readonly name: string,
    readonly priority: number,
    readonly device: 'cpu' | 'gpu',
  ) {}

  /** True in a browser whose tfjs has this backend registered. */
  async isAvailable(): Promise<boolean> {
    return isBrowser() && tf.findBackendFactory(this.name) !== null;
  }

  unavailableReason(): string | undefined {
    if (!isBrowser()) return 'only in a browser';
    return tf.findBackendFactory(this.name) === null ? `the tfjs ${this.name} backend is not registered (import its @tensorflow/tfjs-backend-${this.name} package)` : undefined;
  }

  async activate(): Promise<void> {
    // setBackend resolves false (it does not throw) when e.g. WebGPU has no adapter or WebGL no context.
    const ok = await tf.setBackend(this.name);
    if (!ok) throw new Error(`tf.setBackend("${this.name}") returned false: the browser could not initialize it.`);
  }
}

/** The browser backends in order of preference: WebGPU, then WebGL, then wasm (all above cpu's priority 0). */
export function browserRuntimes(): BrowserBackendRuntime[] {
  return [new BrowserBackendRuntime('webgpu', 30, 'gpu'), new BrowserBackendRuntime('webgl', 20, 'gpu'), new BrowserBackendRuntime('wasm', 10, 'cpu')];
}
