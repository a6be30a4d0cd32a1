import type { ModuleImporter } from '@fedkit/runtime-gpu';

/**
 * The runtime-gpu importer for the bundle. runtime-gpu loads its GPU packages with a dynamic `import(specifier)`,
 * which a bundler cannot follow; these literal imports are bundled (and still evaluated lazily, so the tfjs
 * WebGPU backend loads only after `navigator.gpu` exists). tfjs-node-gpu is not carried: it needs libtensorflow,
 * a download the bare machine cannot make.
 *
 * @example
 * ```ts
 * const webgpu = new WebGpuRuntime({ importModule: importBundled });
 * ```
 */
export const importBundled: ModuleImporter = async (specifier) => {
  switch (specifier) {
    case 'webgpu':
      return import('webgpu');
    case '@tensorflow/tfjs-backend-webgpu':
      return import('@tensorflow/tfjs-backend-webgpu');
    default:
      throw Object.assign(new Error(`Cannot find package '${specifier}': the GPU bundle does not carry it.`), { code: 'ERR_MODULE_NOT_FOUND' });
  }
};
