/** At most this many characters of each reason on the default (quiet) runtime line. */
const SHORT_REASON = 60;

/**
 * The runtime line the CLI prints first. Quiet (the default): the choice and,
 * for each runtime not chosen, the first clause of why (the full advice, e.g.
 * how to install a GPU driver, runs to hundreds of characters); `verbose`:
 * `selectRuntime`'s whole message.
 *
 * @example
 * ```ts
 * runtimeLine('runtime: wasm (priority 10); not chosen: ...', [{ name: 'cpu', reason: 'lower priority' }], false);
 * // 'runtime: wasm (priority 10); not chosen: cpu (lower priority)'
 * ```
 */
export function runtimeLine(message: string, skipped: readonly { readonly name: string; readonly reason: string }[], verbose: boolean): string {
  if (verbose || skipped.length === 0) return message;
  let shortened = false;
  const reasons = skipped.map(({ name, reason }) => {
    const clause = reason.split(/: |\. |; /)[0]!;
    const short = clause.length > SHORT_REASON ? `${clause.slice(0, SHORT_REASON - 3)}...` : clause;
    if (short !== reason) shortened = true;
    return `${name} (${short})`;
  });
  const head = message.split('; not chosen: ')[0]!;
  return `${head}; not chosen: ${reasons.join(', ')}${shortened ? ' (--verbose says why)' : ''}`;
}
