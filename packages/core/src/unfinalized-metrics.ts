/**
 * Each metric's state variables flattened to numbers, in order, keyed by metric
 * name (TFF's `report_local_unfinalized_metrics`).
 */
export type UnfinalizedMetrics = Record<string, number[]>;

/** Per metric, the function that turns a (summed) state into its value. */
export type MetricFinalizers = Record<string, (state: number[]) => number>;

/** Finalized metric values keyed by metric name. */
export type FinalizedMetrics = Record<string, number>;
