// Data: tasks with instruction templates, mixtures with rates, readers of users' files, and the collator.
export { SPLITS } from "./task";
export type { MetricName, Split, TaskDefinition, TaskRecord, Template, TextExample } from "./task";
export { heldOutTemplates, renderExample, renderFewShot, trainingTemplates } from "./templates";
export { equalRate, makeMixture, mixtureShares, parseRateSpec, proportionalRate, sampleMixture, temperatureRate, MixtureSampler } from "./mixtures";
export type { Mixture, RateFunction } from "./mixtures";
export { collate, makeBatches, tokenizeExamples, truncateIds } from "./collate";
export type { Batch, TokenizedExample } from "./collate";
export { readCsv, readDialogSum, readExamples, readJsonlExamples, readSamSum } from "./formats";
export type { ReadResult, SourceExample, SourceFormat } from "./formats";
export { readJsonl, toJsonl } from "./jsonl";
export { userRecords, userTask } from "./user-task";
export { asRecord, requireText } from "./validate";
export { textInfilling } from "./text-infilling";
export { spanCorrupt, spanCorruptionExamples, spanCorruptionLengths, restoreSpans, joinDocuments, sentinelId } from "./span-corruption";
