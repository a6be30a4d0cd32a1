/** What {@link emitWarning} passes on: Node's warning code and type. */
export interface WarningOptions {
  /** A stable code, e.g. `FEDKIT_RUNTIME_FALLBACK`, so users can filter it. */
  readonly code?: string;
  /** The warning's type, `Warning` unless given (e.g. `DeprecationWarning`). */
  readonly type?: string;
}

/**
 * Emits a warning wherever fedkit runs: through `process.emitWarning` in Node
 * (so `--no-warnings`, `--trace-warnings` and `process.on('warning')` apply),
 * and through `console.warn` in a browser, which has no `process`.
 * @example
 * ```ts
 * emitWarning('Runtime "webgpu" is unavailable; falling back.', { code: 'FEDKIT_RUNTIME_FALLBACK' });
 * ```
 */
export function emitWarning(message: string, options: WarningOptions = {}): void {
  // Looked up on every call: a browser bundle must never touch `process`, and tests spy on it.
  const proc = (globalThis as { process?: { emitWarning?: (m: string, o: { code?: string; type?: string }) => void } }).process;
  if (typeof proc?.emitWarning === 'function') {
    proc.emitWarning(message, { ...(options.type === undefined ? {} : { type: options.type }), ...(options.code === undefined ? {} : { code: options.code }) });
    return;
  }
  console.warn(`${options.type ?? 'Warning'}${options.code === undefined ? '' : ` [${options.code}]`}: ${message}`);
}
