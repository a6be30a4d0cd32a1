/**
 * Geometric tracking of a quantile of client update norms.
 * Andrew, Thakkar, McMahan, Ramaswamy 2021, "Differentially Private Learning with Adaptive Clipping" (NeurIPS).
 */
import { ValueError } from '@fedkit/core';

/** Options of adaptive clipping / zeroing. */
export interface AdaptiveNormOptions {
  /** The quantile of update norms to track (γ), e.g. 0.5 for the median. */
  targetQuantile: number;
  /** Step size η of the geometric update; default 0.2 (the paper's). */
  learningRate?: number;
  /** The first estimate C₀. */
  initialNorm: number;
}

/** Checks options and returns them with defaults. */
export function adaptiveDefaults(options: AdaptiveNormOptions): Required<AdaptiveNormOptions> {
  const { targetQuantile, initialNorm } = options;
  const learningRate = options.learningRate ?? 0.2;
  if (!(targetQuantile > 0 && targetQuantile < 1)) throw new ValueError(`targetQuantile must be in (0, 1), found ${targetQuantile}.`);
  if (!(initialNorm > 0)) throw new ValueError(`initialNorm must be positive, found ${initialNorm}.`);
  if (!(learningRate > 0)) throw new ValueError(`learningRate must be positive, found ${learningRate}.`);
  return { targetQuantile, initialNorm, learningRate };
}

/**
 * One step of the paper's update: `C ← C · exp(−η (b̄ − γ))`, where b̄ is the
 * fraction of norms at or below C. With no client the estimate is unchanged.
 */
export function nextNormEstimate(current: number, norms: readonly number[], options: Required<AdaptiveNormOptions>): number {
  if (norms.length === 0) return current;
  const below = norms.filter((n) => n <= current).length / norms.length;
  return current * Math.exp(-options.learningRate * (below - options.targetQuantile));
}
