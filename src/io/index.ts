// Files in and out: Hugging Face model folders, PEFT adapter folders, tokenizers, the Hub cache, memory checks.
export { loadConfig, loadGenerationConfig, loadModel, saveModel } from "./checkpoint";
export type { SaveOptions } from "./checkpoint";
export { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, isAdapterFolder, loadAdapter, saveAdapter } from "./adapter";
export { loadTokenizer, saveTokenizer } from "./tokenizer";
export type { Tokenizer } from "./tokenizer";
export { parseSafetensors, serializeSafetensors } from "./safetensors";
export type { HostTensor } from "./safetensors";
export {
  HubUnreachableError,
  downloadRepo,
  ensureDataset,
  ensureModel,
  resolveDatasetFile,
  resolveModelFolder,
  terminalDownloadProgress,
} from "./hub";
export type { EnsureOptions } from "./hub";
export { MemoryError, checkMemory, checkModelFolder, estimateMemory, formatMemoryEstimate, formatMemorySize } from "./memory";
export type { MemoryEstimate, MemoryPlan } from "./memory";
