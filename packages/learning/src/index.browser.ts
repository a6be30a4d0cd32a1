/**
 * @packageDocumentation
 * Federated learning algorithms (FedAvg, FedProx, FedSGD, FedNova, FedOpt,
 * federated evaluation) built from TFF's composable blocks, the client-update
 * blocks every executor runs, and the in-process executor.
 *
 * This is the browser entry (the `browser` export condition): it imports nothing
 * Node-only. The Node entry (`index.ts`) adds the worker-thread executor.
 */
export { sgd, fedAvgM, fedAdam, fedYogi, fedAdagrad, type ServerOptimizer, type ServerOptimizerState, type SgdOptions, type AdaptiveOptions } from './server-optimizer.js';
export { iterateBatches } from './iterate-batches.js';
export { forEachBatch, type ForEachBatchOptions, type BatchCounts } from './for-each-batch.js';
export { ClientTrainingError } from './client-training-error.js';
export { CLIENT_UPDATE_PLUGIN, type ClientUpdate, type ClientUpdateContext, type ClientUpdateOutput } from './client-update.js';
export { localTraining } from './local-training.js';
export { proximalTraining, proximalStrengthOf } from './proximal-training.js';
export { meanGradient } from './mean-gradient.js';
export { modelDelta } from './model-delta.js';
export { BUILTIN_CLIENT_UPDATES } from './builtin-client-updates.js';
export { createOptimizer, checkOptimizerConfig, OPTIMIZER_NAMES } from './create-optimizer.js';
export { FusedSgdOptimizer } from './fused-sgd-optimizer.js';
export { runClientTask, resolveClientUpdate, type RunClientTaskOptions } from './run-client-task.js';
export { InProcessExecutor, modelEnvironment } from './executors/in-process-executor.js';
export { weightsSpecOf, arraysSpec, trainableSpecOf, sizesOf, copyWeights } from './weights-spec.js';
export { weightedMeanFactory, unweightedMeanFactory, sumFactory, type MeanFactory } from './mean-aggregator.js';
export { asWeightedAggregator } from './as-weighted-aggregator.js';
export { broadcastDistributor } from './broadcast-distributor.js';
export { applyOptimizerFinalizer } from './apply-optimizer-finalizer.js';
export { buildClientWork, type ClientWorkBuildOptions, type ClientWeighting, type MetricsAggregator } from './client-work.js';
export { composeLearningProcess, CompositionError, AggregatorWeightingError, type LearningBlockName, type LearningProcessBlocks } from './compose-learning-process.js';
export { clientOptimizerOf, startingPoint, passThrough, type FederatedAlgorithmOptions, type LocalTrainingAlgorithmOptions, type FedAvgState } from './algorithm-options.js';
export { buildWeightedFedAvg, buildUnweightedFedAvg, type WeightedFedAvgOptions, type UnweightedFedAvgOptions } from './fed-avg.js';
export { buildWeightedFedProx, type WeightedFedProxOptions } from './fed-prox.js';
export { buildFedSgd } from './fed-sgd.js';
export { qfflTraining } from './qffl-training.js';
export { scaffoldTraining } from './scaffold-training.js';
export { buildScaffold, scaffoldClientWork, scaffoldPlugin, type ScaffoldOptions, type ScaffoldState, type ScaffoldProcessState } from './scaffold.js';
export { buildQFedAvg, qFedAvgAggregator, qFedAvgPlugin, type QFedAvgOptions, type BuildQFedAvgOptions } from './q-fed-avg.js';
export { buildFedNova, fedNovaAggregator, fedNovaPlugin, type FedNovaOptions } from './fed-nova.js';
export { ALGORITHM_PLUGIN, type AlgorithmPlugin, type AlgorithmBuildOptions } from './algorithm-plugin.js';
export { BUILTIN_ALGORITHMS } from './builtin-algorithms.js';
export { registerLearning } from './register-learning.browser.js';
export { registerLearningWith, inProcessExecutorPlugin } from './register-learning-with.js';
export { buildFederatedEvaluation, type FederatedEvaluation, type EvaluationOutput } from './federated-evaluation.js';
export { scheduleLearningRate, type AdaptiveVariant } from './server-optimizer.js';
export { exponentialDecay, inverseTimeDecay, cosineDecay, type LearningRateSchedule, type DecayOptions, type CosineDecayOptions } from './learning-rate-schedule.js';
export { buildPersonalizationEval, fineTune, type PersonalizeFn, type PersonalizeContext, type PersonalizationClientData, type PersonalizationEvalOptions, type PersonalizationClientResult, type PersonalizationStat, type PersonalizationEvalOutput, type PersonalizationEval, type FineTuneOptions } from './personalization-eval.js';
export { evaluateLocally, evaluateMetrics } from './evaluate-locally.js';
