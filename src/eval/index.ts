// Evaluation: ROUGE and the task metrics, generation-based and likelihood-based scoring, forgetting and seed statistics.
export { ROUGE_METRICS, corpusRouge, rougeScores } from "./rouge";
export type { RougeMetric, RougeScore } from "./rouge";
export { factAccuracy, scoreTask } from "./metrics";
export type { TaskScores } from "./metrics";
export { evalExamples, evaluateExamples, evaluateTask, writePredictions } from "./evaluate";
export type { Prediction, TaskEvaluation, TemplateChoice } from "./evaluate";
export { rankClassification, sequenceLogLikelihoods, teacherForcedAccuracy } from "./likelihood";
export { forgettingVsBase, makeScoreMatrix } from "./forgetting";
export type { ScoreMatrix } from "./forgetting";
export { formatSeedSummary, summarizeSeeds } from "./stats";
export type { SeedSummary } from "./stats";
export { bootstrapIntervals, mean } from "./bootstrap";
