// flanlab's library: a FLAN-T5 in TensorFlow.js and what it takes to fine-tune and evaluate it. The CLI is built on
// it; the lab (src/lab: the shipped corpus, experiments, notebook displays, bench) imports it and is imported by the
// notebooks. docs/ARCHITECTURE.md draws the parts and the imports each may make.
export { BACKEND_CHOICES, describeBackend, initBackend } from "./backend";
export type { BackendChoice } from "./backend";
export { JobError, runInParallel } from "./parallel";
export type { JobContext, JobFunction, ParallelOptions } from "./parallel";
export { Random, mulberry32 } from "./random";
export { IGNORE_INDEX, shiftTokensRight } from "./labels";
export * from "./model";
export * from "./io";
export * from "./data";
export * from "./train";
export * from "./eval";
