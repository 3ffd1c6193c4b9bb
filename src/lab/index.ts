// The lab: this project's own world of tasks and data, the experiments the notebooks run, their findings, the
// notebook displays and the bench. It imports the library (src/index.ts); the library never imports it.
export * from "./paths";
export * from "./base-model";
export * from "./tasks/registry";
export { collectionTasks } from "./tasks/collection";
export * from "./base/collection-scores";
export * from "./base/stage-curves";
export { corpusChunks } from "./base/pretraining-chunks";
export * from "./base/fill-accuracy";
export * from "./experiments/baselines";
export * from "./experiments/reference-ceiling";
export * from "./experiments";
export * from "./findings";
export * from "./notebook/escape";
export * from "./notebook/params";
export * from "./notebook/plots";
export * from "./notebook/progress";
export * from "./notebook/tables";
