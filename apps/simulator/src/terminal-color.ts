/**
 * Whether terminal output may carry ANSI colours: only on a TTY (a CI log or
 * a file gets plain text), and never when `NO_COLOR` is set to a non-empty
 * value (https://no-color.org).
 *
 * @example
 * ```ts
 * const color = colorEnabled(process.stdout.isTTY === true, process.env);
 * ```
 */
export function colorEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return isTTY && (env['NO_COLOR'] ?? '') === '';
}

/** SGR codes for the few styles the display uses. */
const STYLES: Readonly<Record<Style, number>> = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33 };

/** A style name of {@link paint}. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';

/**
 * Wraps `text` in an ANSI style when `enabled`, else returns it unchanged.
 *
 * @example
 * ```ts
 * write(paint(color, 'red', '2 failed'));
 * ```
 */
export function paint(enabled: boolean, style: Style, text: string): string {
  return enabled ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
}
