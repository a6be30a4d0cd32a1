import { ValueError } from './errors.js';
import type { FinalizedMetrics, MetricFinalizers, UnfinalizedMetrics } from './unfinalized-metrics.js';

/**
 * Sums unfinalized metric states element-wise across clients, then finalizes
 * each metric (TFF's `sum_then_finalize`). This is how federated metrics must
 * be combined: accuracy states [3 correct, 4 seen] and [1, 6] give 4/10 = 0.4,
 * not the mean of 0.75 and 0.1667.
 *
 * @throws ValueError when a client's metric names or state lengths differ from the finalizers'.
 * @example
 * ```ts
 * sumThenFinalize({ acc: ([c, n]) => c / n }, [{ acc: [3, 4] }, { acc: [1, 6] }]); // { acc: 0.4 }
 * ```
 */
export function sumThenFinalize(
  finalizers: MetricFinalizers,
  perClient: readonly UnfinalizedMetrics[],
): FinalizedMetrics {
  const summed = sumUnfinalizedMetrics(Object.keys(finalizers), perClient);
  const out: FinalizedMetrics = {};
  for (const [name, finalize] of Object.entries(finalizers)) out[name] = finalize(summed[name]!);
  return out;
}

/**
 * Element-wise sum of unfinalized states over clients for the given metric
 * names. With no clients every state is empty and finalizers see `[]`.
 *
 * @throws ValueError on a missing or unexpected key, or a length mismatch.
 */
export function sumUnfinalizedMetrics(
  names: readonly string[],
  perClient: readonly UnfinalizedMetrics[],
): UnfinalizedMetrics {
  const summed: UnfinalizedMetrics = {};
  for (const name of names) summed[name] = [];
  perClient.forEach((client, c) => {
    const keys = Object.keys(client);
    const missing = names.filter((n) => !(n in client));
    const extra = keys.filter((k) => !names.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new ValueError(
        `Client ${c} reported metrics {${keys.join(', ')}} but the finalizers expect {${names.join(', ')}}` +
          `${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''}${extra.length > 0 ? `; unexpected: ${extra.join(', ')}` : ''}. ` +
          'Every client must build its model with the same metrics.',
      );
    }
    for (const name of names) {
      const state = client[name]!;
      const acc = summed[name]!;
      if (c === 0) {
        acc.push(...state);
      } else if (state.length !== acc.length) {
        throw new ValueError(
          `Metric "${name}" has a state of length ${state.length} at client ${c} but ${acc.length} at client 0; ` +
            'states can only be summed when every client uses the same metric configuration.',
        );
      } else {
        for (let i = 0; i < state.length; i++) acc[i]! += state[i]!;
      }
    }
  });
  return summed;
}
