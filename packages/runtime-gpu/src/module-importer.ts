/**
 * Loads a module by specifier, like `import(specifier)`. {@link registerGpuRuntime}
 * takes one so that tests and bundlers can supply the optional GPU packages
 * themselves; the default is Node's own dynamic `import()`.
 */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Node's dynamic `import()`: resolves packages from the caller's node_modules at call time. */
export const importModule: ModuleImporter = (specifier) => import(specifier);

/** The message of anything thrown, for the one-line reasons runtimes give. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True when `e` says that `specifier` itself (not one of its own imports) could not be found. */
export function isModuleNotFound(e: unknown, specifier: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && errorMessage(e).includes(`'${specifier}'`);
}
