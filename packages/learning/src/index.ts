/**
 * @packageDocumentation
 * Federated learning algorithms (FedAvg, FedProx, FedSGD, FedOpt, federated
 * evaluation) built from TFF's composable blocks.
 */
export { sgd, fedAvgM, fedAdam, fedYogi, fedAdagrad, type ServerOptimizer, type ServerOptimizerState, type SgdOptions, type AdaptiveOptions } from './server-optimizer.js';
export { iterateBatches } from './iterate-batches.js';
export { trainClient, ClientTrainingError, type ClientTrainingConfig, type TrainClientOptions, type ClientTrainingResult } from './train-client.js';
export { SequentialExecutor, type ClientExecutor, type ClientTask, type ClientTaskOutcome } from './client-executor.js';
export { weightsSpecOf, arraysSpec, trainableSpecOf, sizesOf, copyWeights } from './weights-spec.js';
export { weightedMeanFactory, unweightedMeanFactory, sumFactory } from './mean-aggregator.js';
export { asWeightedAggregator } from './as-weighted-aggregator.js';
export { broadcastDistributor } from './broadcast-distributor.js';
export { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
export { ModelDeltaClientWork, type ModelDeltaClientWorkOptions, type ClientWeighting, type MetricsAggregator } from './model-delta-client-work.js';
export { composeLearningProcess, CompositionError, type LearningBlockName, type LearningProcessBlocks } from './compose-learning-process.js';
export { type FederatedAlgorithmOptions, type FedAvgState } from './build-delta-process.js';
export { buildWeightedFedAvg, buildUnweightedFedAvg, type WeightedFedAvgOptions, type UnweightedFedAvgOptions } from './fed-avg.js';
export { buildWeightedFedProx, type WeightedFedProxOptions } from './fed-prox.js';
export { buildFedSgd } from './fed-sgd.js';
export { buildFederatedEvaluation, type FederatedEvaluation, type EvaluationOutput } from './federated-evaluation.js';
export { scheduleLearningRate, type AdaptiveVariant } from './server-optimizer.js';
export { exponentialDecay, inverseTimeDecay, cosineDecay, type LearningRateSchedule, type DecayOptions, type CosineDecayOptions } from './learning-rate-schedule.js';
