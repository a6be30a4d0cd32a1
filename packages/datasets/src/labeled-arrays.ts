// The one labelled-arrays type lives in core, so that tasks, the simulator and the executors share it.
export type { LabeledArrays, TrainTestArrays } from '@fedkit/core';
