// The model: a T5 / FLAN-T5 encoder-decoder as pure functions of a parameter map, generation, and LoRA adapters.
export { T5_DEFAULTS, makeConfig } from "./config";
export type { T5Config, FeedForwardProj } from "./config";
export { PUBLIC_T5_CONFIGS, publicT5Config } from "./public-configs";
export { countParameters, disposeParams, initParams } from "./params";
export type { ParamMap } from "./params";
export { decode, encode, forward } from "./t5";
export type { T5Model } from "./t5";
export { batchLogits } from "./batch-logits";
export type { TeacherForcingIds } from "./batch-logits";
export { copyModel, disposeModel } from "./lifecycle";
export { seq2seqLoss } from "./loss";
export { GENERATION_DEFAULTS, generate, generateWithScores, generationOptionsFromConfig } from "./generate";
export type { GenerationOptions, GenerationResult } from "./generate";
export {
  LORA_DEFAULTS,
  activeAdapter,
  addAdapter,
  adapterNames,
  deleteAdapter,
  formatParameterReport,
  linearModules,
  loraTrainable,
  makeLoraConfig,
  mergeAdapter,
  mergeAndUnload,
  modelParameterReport,
  parameterReport,
  printTrainableParameters,
  setAdapter,
  targetModules,
  unloadAdapters,
  unmergeAdapter,
} from "./lora";
export type { LoraConfig, ParameterReport } from "./lora";
