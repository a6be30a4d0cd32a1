import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';

import { emitWarning } from './emit-warning.js';
import { ValueError } from './errors.js';

/** Anything registered under a plugin token: it only needs a name. */
export interface NamedPlugin {
  readonly name: string;
}

/**
 * Creates the container a simulation or a test registers its plugins into: a
 * child of `parent` (default: tsyringe's root container), so that what is
 * registered here never leaks into the parent.
 *
 * @example
 * ```ts
 * const c = createFedkitContainer();
 * registerLosses(c);
 * const loss = resolveLoss(c, 'mse');
 * ```
 */
export function createFedkitContainer(parent: DependencyContainer = rootContainer): DependencyContainer {
  return parent.createChildContainer();
}

/**
 * Registers `plugin` under `token` in `container`, resolvable by `plugin.name`.
 *
 * Registering a name that is already present replaces the earlier plugin and
 * emits a warning, like tfjs's kernel registry does for a duplicate kernel.
 * A child container sees its parent's plugins too: tsyringe alone would hide the
 * parent's registrations for a token as soon as the child has one of its own,
 * so the parent's plugins are copied into the child before the first own one.
 */
export function registerPlugin<P extends NamedPlugin>(
  container: DependencyContainer,
  token: InjectionToken<P>,
  plugin: P,
): void {
  if (!container.isRegistered(token, false) && container.isRegistered(token, true)) {
    for (const inherited of container.resolveAll(token)) {
      container.register(token, { useValue: inherited });
    }
  }
  if (pluginNames(container, token).includes(plugin.name)) {
    emitWarning(
      `A plugin named "${plugin.name}" is already registered under ${String(token)}; the new one replaces it.`,
      { code: 'FEDKIT_DUPLICATE_PLUGIN' },
    );
  }
  container.register(token, { useValue: plugin });
}

/** The names of the plugins registered under `token`, the latest registration winning. */
export function pluginNames<P extends NamedPlugin>(container: DependencyContainer, token: InjectionToken<P>): string[] {
  return [...pluginsByName(container, token).keys()].sort();
}

/** Every plugin under `token` keyed by name; a later registration of a name replaces an earlier one. */
export function pluginsByName<P extends NamedPlugin>(
  container: DependencyContainer,
  token: InjectionToken<P>,
): Map<string, P> {
  const byName = new Map<string, P>();
  if (!container.isRegistered(token, true)) return byName;
  for (const plugin of container.resolveAll(token)) byName.set(plugin.name, plugin);
  return byName;
}

/**
 * Resolves the plugin called `name` under `token`.
 * @throws ValueError listing the registered names when there is none.
 */
export function resolvePlugin<P extends NamedPlugin>(
  container: DependencyContainer,
  token: InjectionToken<P>,
  name: string,
  what: string,
): P {
  const byName = pluginsByName(container, token);
  const plugin = byName.get(name);
  if (plugin === undefined) {
    const known = [...byName.keys()].sort();
    const plural = pluralOf(what);
    throw new ValueError(
      `Unknown ${what} "${name}". Registered ${plural}: ${known.length > 0 ? known.join(', ') : '(none)'}. ` +
        `Register it first (e.g. register${plural[0]!.toUpperCase()}${plural.slice(1)}(container)) or use one of the names listed.`,
    );
  }
  return plugin;
}

/** English plural of a plugin kind: `loss` -> `losses`, `metric` -> `metrics`. */
function pluralOf(word: string): string {
  return /(s|x|z|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}
