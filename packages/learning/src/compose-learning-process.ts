import {
  FederatedSpec,
  FunctionSpec,
  SequenceSpec,
  StructSpec,
  TensorSpec,
  ValueError,
  isStreamingAggregator,
  type Aggregator,
  type ClientResult,
  type AggregatorFactory,
  type ClientDataset,
  type ClientWork,
  type Distributor,
  type Finalizer,
  type LearningProcess,
  type LearningProcessOutput,
  type LearningProcessState,
  type ModelWeightArrays,
  type RoundOptions,
} from '@fedkit/core';

import { copyWeights, weightsSpecOf } from './weights-spec.js';

/** Which block a {@link CompositionError} is about. */
export type LearningBlockName = 'initial_model_weights' | 'distributor' | 'client_work' | 'aggregator' | 'finalizer';

/** Raised by {@link composeLearningProcess} when two blocks do not fit. */
export class CompositionError extends ValueError {
  constructor(
    readonly block: LearningBlockName,
    message: string,
  ) {
    super(`${block}: ${message}`);
    this.name = 'CompositionError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * Raised by {@link composeLearningProcess} when a weighted client work meets an
 * unweighted aggregator or the reverse: a TypeError, as TFF's builders raise
 * (`test_weighted_fed_avg_raises_on_unweighted_aggregator`).
 */
export class AggregatorWeightingError extends TypeError {
  readonly block = 'aggregator' as const;
  constructor(message: string) {
    super(`aggregator: ${message}`);
    this.name = 'AggregatorWeightingError';
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The blocks of a learning process. */
export interface LearningProcessBlocks<D, C, A, F> {
  readonly initialModelWeights: ModelWeightArrays;
  readonly distributor: Distributor<D>;
  readonly clientWork: ClientWork<C>;
  /** An aggregator, or a factory that is given the client work's update spec. */
  readonly aggregator: Aggregator<A> | AggregatorFactory<A>;
  readonly finalizer: Finalizer<F>;
}

/**
 * Wires a distributor, a client work, an aggregator and a finalizer into a
 * learning process (TFF's `tff.learning.templates.compose_learning_process`).
 * Checks at composition that the weights and update specs agree and that a
 * weighted client work gets a weighted aggregator (and an unweighted one an
 * unweighted aggregator); clients whose update weight is 0 (empty, non-finite)
 * are left out of an unweighted aggregation.
 *
 * A round: broadcast → client work (failed clients are reported in
 * `clientReports` and counted in `metrics.failures`; clients an executor had to
 * start again after an infrastructure fault are counted in `metrics.retries`) → aggregate → finalize.
 *
 * @throws CompositionError naming the block that does not fit; AggregatorWeightingError (a TypeError) for a weighted/unweighted mismatch.
 * @example
 * ```ts
 * const process = composeLearningProcess({ initialModelWeights, distributor, clientWork, aggregator: weightedMeanFactory(), finalizer });
 * let state = process.initialize();
 * const { state: next, metrics } = await process.next(state, clientDatasets);
 * ```
 */
export function composeLearningProcess<D, C, A, F>(
  blocks: LearningProcessBlocks<D, C, A, F>,
): LearningProcess<LearningProcessState<D, C, A, F>> {
  const { distributor, clientWork, finalizer } = blocks;
  const weightsSpec = weightsSpecOf(blocks.initialModelWeights);
  const mismatch = (block: LearningBlockName, what: string, expected: StructSpec, found: StructSpec): CompositionError =>
    new CompositionError(block, `its ${what} is ${found.toString()} but ${expected.toString()} is expected; build every block from the same model.`);
  if (!distributor.weightsSpec.equals(weightsSpec)) throw mismatch('distributor', 'weights spec', weightsSpec, distributor.weightsSpec);
  if (!clientWork.weightsSpec.equals(weightsSpec)) throw mismatch('client_work', 'weights spec', weightsSpec, clientWork.weightsSpec);
  if (!finalizer.weightsSpec.equals(weightsSpec)) throw mismatch('finalizer', 'weights spec', weightsSpec, finalizer.weightsSpec);
  if (!finalizer.updateSpec.equals(clientWork.updateSpec)) throw mismatch('finalizer', 'update spec', clientWork.updateSpec, finalizer.updateSpec);
  const aggregator: Aggregator<A> = 'create' in blocks.aggregator ? blocks.aggregator.create(clientWork.updateSpec) : blocks.aggregator;
  if (!aggregator.valueSpec.equals(clientWork.updateSpec)) throw mismatch('aggregator', 'value spec', clientWork.updateSpec, aggregator.valueSpec);
  if (clientWork.weighted !== aggregator.weighted) {
    throw new AggregatorWeightingError(
      clientWork.weighted
        ? 'the client work produces weighted updates but the aggregator is unweighted (TFF expects a WeightedAggregationFactory); ' +
            'use a weighted aggregator (weightedMeanFactory()), wrap it with asWeightedAggregator(), or use an unweighted algorithm.'
        : 'the client work produces unweighted updates but the aggregator is weighted (TFF expects an UnweightedAggregationFactory); use an unweighted aggregator (unweightedMeanFactory()).',
    );
  }

  const stateSpec = new StructSpec({
    global_model_weights: weightsSpec,
    distributor: distributor.stateSpec,
    client_work: clientWork.stateSpec,
    aggregator: aggregator.stateSpec,
    finalizer: finalizer.stateSpec,
  });
  const f32 = new TensorSpec([], 'float32');
  const i32 = new TensorSpec([], 'int32');
  const train: Record<string, TensorSpec> = {};
  for (const name of clientWork.metricNames) train[name] = f32;
  const metricsSpec = new StructSpec({
    distributor: distributor.measurementsSpec,
    client_work: new StructSpec({ train: new StructSpec(train) }),
    aggregator: aggregator.measurementsSpec,
    finalizer: finalizer.measurementsSpec,
    failures: i32,
    retries: i32,
  });
  const serverState = new FederatedSpec(stateSpec, 'SERVER');
  const typeSignature = {
    initialize: new FunctionSpec(undefined, serverState),
    next: new FunctionSpec(
      new StructSpec({ state: serverState, client_data: new FederatedSpec(new SequenceSpec(clientWork.dataSpec), 'CLIENTS') }),
      new StructSpec({ state: serverState, metrics: new FederatedSpec(metricsSpec, 'SERVER') }),
    ),
  };

  type S = LearningProcessState<D, C, A, F>;
  const checkWeights = (weights: ModelWeightArrays, where: string): void => {
    const found = weightsSpecOf(weights);
    if (!found.equals(weightsSpec)) {
      throw new ValueError(`${where}: weights ${found.toString()} do not match the process's ${weightsSpec.toString()}.`);
    }
  };

  return {
    typeSignature,
    initialize(): S {
      return {
        globalModelWeights: copyWeights(blocks.initialModelWeights),
        distributor: distributor.initialize(),
        clientWork: clientWork.initialize(),
        aggregator: aggregator.initialize(),
        finalizer: finalizer.initialize(),
        round: 0,
      };
    },
    async next(state: S, clientData: readonly ClientDataset[], options: RoundOptions = {}): Promise<LearningProcessOutput<S>> {
      if (!Array.isArray(clientData)) {
        throw new TypeError('next(state, clientData) expects an array with one dataset per client.');
      }
      checkWeights(state.globalModelWeights, 'next');
      options.signal?.throwIfAborted();
      const broadcast = await distributor.next(state.distributor, state.globalModelWeights);
      // A streaming aggregator takes each update as it arrives (in client-index order) and holds none.
      const accumulator = isStreamingAggregator(aggregator) ? aggregator.accumulate(state.aggregator) : undefined;
      const counts = (r: ClientResult): boolean => aggregator.weighted || r.updateWeight > 0;
      const work = await clientWork.next(state.clientWork, broadcast.result, clientData, {
        ...options,
        round: options.round ?? state.round + 1,
        ...(accumulator === undefined
          ? {}
          : { onResult: (r: ClientResult) => counts(r) && accumulator.add(r.update, aggregator.weighted ? r.updateWeight : undefined, r.extra) }),
      });
      options.signal?.throwIfAborted();
      let aggregated;
      if (accumulator !== undefined) {
        aggregated = await accumulator.finish();
      } else {
        const results = work.result.clientResults.filter(counts);
        aggregated = await aggregator.next(
          state.aggregator,
          results.map((r) => r.update),
          aggregator.weighted ? results.map((r) => r.updateWeight) : undefined,
        );
      }
      const finalized = await finalizer.next(state.finalizer, state.globalModelWeights, aggregated.result);
      const failures = work.result.reports.filter((r) => !r.ok).length;
      // Infrastructure retries (a worker died and another re-ran its client) are not failures; they are counted apart.
      const retries = work.result.reports.reduce((s, r) => s + Math.max(0, (r.attempts ?? 1) - 1), 0);
      return {
        state: {
          globalModelWeights: finalized.result,
          distributor: broadcast.state,
          clientWork: work.state,
          aggregator: aggregated.state,
          finalizer: finalized.state,
          round: state.round + 1,
        },
        metrics: {
          distributor: broadcast.measurements,
          client_work: work.measurements,
          aggregator: aggregated.measurements,
          finalizer: finalized.measurements,
          failures,
          retries,
        },
        clientReports: work.result.reports,
      };
    },
    getModelWeights: (state: S) => copyWeights(state.globalModelWeights),
    setModelWeights(state: S, weights: ModelWeightArrays): S {
      checkWeights(weights, 'setModelWeights');
      return { ...state, globalModelWeights: copyWeights(weights) };
    },
  };
}
