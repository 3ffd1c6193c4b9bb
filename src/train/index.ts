// Training: the fine-tuning pipeline (full or LoRA), the loop (checkpoints, resume, evaluation, early stopping),
// optimizers, schedules and batch streams.
export { TrainingDivergedError, train } from "./trainer";
export type { EarlyStopping, TrainResult, TrainerOptions } from "./trainer";
export { fineTuneModel, prepareForFineTuning } from "./finetune";
export type { FineTuneData, FineTuneMethod, FineTuneOptions, FineTuneResult, MixtureData } from "./finetune";
export { Adafactor, AdamW, OPTIMIZER_KINDS, makeOptimizer } from "./optimizers";
export type { OptimizerKind, OptimizerOptions } from "./optimizers";
export { SCHEDULE_KINDS, makeSchedule } from "./schedules";
export type { ScheduleKind } from "./schedules";
export { clipGradNorm } from "./clip";
export { EpochBatches, MixtureBatches } from "./batches";
export { SpanCorruptionBatches, concatenatedChunks } from "./span-corruption-batches";
export type { BatchSource } from "./batches";
export { batchLoss, toVariables, trainStep, trainSteps } from "./step";
export { formatProgressLine, terminalProgress } from "./progress";
export type { ProgressSink, ProgressState } from "./progress";
