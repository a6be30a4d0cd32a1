/**
 * @packageDocumentation
 * Aggregators that wrap aggregators (TFF's `tff.aggregators` style): robust (clipping, zeroing, FedMedian,
 * FedTrimmedAvg, Krum, Bulyan), differentially private (DP-FedAvg's Gaussian mechanism, server- or client-side
 * clipping, with an RDP accountant),
 * secure (pairwise masking with Shamir-shared seeds) and compressed (stochastic quantization).
 */
export { clipping, clipValues, initialBound, type NormBound, type ClippingState } from './clipping.js';
export { zeroing, type ZeroingBound, type ZeroingState } from './zeroing.js';
export { adaptiveDefaults, nextNormEstimate, type AdaptiveNormOptions } from './adaptive-norm.js';
export { coordinateMedian, coordinateMedianOf } from './coordinate-median.js';
export { trimmedMean, trimmedMeanOf, type TrimmedMeanOptions } from './trimmed-mean.js';
export { krum, multiKrum, krumScores, type KrumOptions } from './krum.js';
export { dpGaussian, type DpGaussianOptions, type DpGaussianState } from './dp-gaussian.js';
export { RdpAccountant, computeRdp, epsilonFromRdp, logErfc, DEFAULT_RDP_ORDERS } from './rdp-accountant.js';
export { gaussianSampler } from './gaussian-noise.js';
export { secureSum, secureMean, runSecureSum, type SecureSumOptions, type SecureSumRun } from './secure-sum.js';
export { shareSecret, reconstructSecret, SHAMIR_PRIME, type Share } from './shamir.js';
export { quantize, quantizeArray, type QuantizeOptions } from './quantize.js';
export { perClientTransform, type TransformDefinition, type TransformRound } from './per-client-transform.js';
export { registerAggregators, type RegisterAggregatorsOptions } from './register-aggregators.js';
export { bulyan, bulyanOf, meanOfClosest, type BulyanOptions } from './bulyan.js';
export { dpClientSideFixedClipping, type DpClientSideOptions, type DpClientSideState } from './dp-client-side.js';
export { secureSeed, secureRandomUint32, secureUniformSampler, secureGaussianSampler } from './secure-random.js';
