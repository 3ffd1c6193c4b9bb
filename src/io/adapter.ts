// Load and save a LoRA adapter folder in PEFT's layout, apart from its base model: adapter_config.json (LoraConfig's
// fields) and adapter_model.safetensors with keys `base_model.model.<module>.lora_A.weight` [r, in] and
// `...lora_B.weight` [out, r]. Memory keeps A [in, r] and B [r, out] (model/lora.ts), so the transpose happens here.
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { T5Config } from "../model/config";
import {
  LoraConfig,
  activeAdapter,
  adapterNames,
  adapterWeights,
  attachAdapter,
  checkLoraWeights,
  makeLoraConfig,
} from "../model/lora";
import { ParamMap } from "../model/params";
import { T5Model } from "../model/t5";
import { readJson, weightsFromParams } from "./checkpoint";
import { HostTensor, parseSafetensors, serializeSafetensors } from "./safetensors";

/** PEFT's adapter config file name. */
export const ADAPTER_CONFIG_FILE = "adapter_config.json";
/** PEFT's adapter weights file name. */
export const ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";
/** PEFT saves the state dict of PeftModel -> LoraModel -> the transformers model: two wrappers deep. */
const PEFT_PREFIX = "base_model.model.";

/** Whether a folder holds a PEFT adapter (as opposed to a full model). */
export function isAdapterFolder(folder: string): boolean {
  return fs.existsSync(path.join(folder, ADAPTER_CONFIG_FILE));
}

export function loadAdapterConfig(folder: string): LoraConfig {
  const file = path.join(folder, ADAPTER_CONFIG_FILE);
  if (!fs.existsSync(folder)) throw new Error(`${folder}: adapter folder not found.`);
  return makeLoraConfig(readJson<Partial<LoraConfig>>(file), file);
}

function readAdapterTensors(folder: string): { file: string; tensors: Record<string, HostTensor> } {
  const file = path.join(folder, ADAPTER_WEIGHTS_FILE);
  if (!fs.existsSync(file)) {
    const bin = path.join(folder, "adapter_model.bin");
    const hint = fs.existsSync(bin)
      ? ` It has adapter_model.bin, which flanlab cannot read: convert it with Python, e.g. ` +
        `PeftModel.from_pretrained(base, "${folder}").save_pretrained("${folder}", safe_serialization=True).`
      : "";
    throw new Error(`${folder}: no ${ADAPTER_WEIGHTS_FILE}.${hint}`);
  }
  return { file, tensors: parseSafetensors(fs.readFileSync(file), file).tensors };
}

/**
 * An adapter folder's config and tensors (in-memory layout), checked against the base `config` it is meant for:
 * a module the base lacks, a shape that does not fit, or a missing half gives an error naming the tensor.
 */
export function readAdapter(folder: string, config: T5Config): { config: LoraConfig; weights: ParamMap } {
  const lora = loadAdapterConfig(folder);
  const { file, tensors } = readAdapterTensors(folder);
  for (const [key, t] of Object.entries(tensors)) {
    if (!key.startsWith(PEFT_PREFIX) || !/\.lora_[AB]\.weight$/.test(key)) {
      const what = /lora_embedding|lora_magnitude/.test(key) ? " (embedding LoRA and DoRA are not supported)" : "";
      throw new Error(`${file}: "${key}" is not a LoRA tensor of PEFT's layout (${PEFT_PREFIX}<module>.lora_A.weight / .lora_B.weight)${what}.`);
    }
    if (t.shape.length !== 2) throw new Error(`${file}: "${key}" has shape [${t.shape}]; LoRA tensors are 2-D.`);
  }
  const weights: ParamMap = {};
  for (const [key, t] of Object.entries(tensors)) {
    const [rows, cols] = t.shape;
    weights[key.slice(PEFT_PREFIX.length)] = tf.tidy(() => tf.transpose(tf.tensor2d(t.data, [rows, cols])));
  }
  try {
    checkLoraWeights(config, lora, weights, folder);
  } catch (error) {
    Object.values(weights).forEach((t) => t.dispose());
    throw error;
  }
  return { config: lora, weights };
}

export interface LoadAdapterOptions {
  /** The name the model keeps it under; default "default", as PEFT's from_pretrained. */
  name?: string;
  /** Make it the active adapter (default true; PEFT's load_adapter would leave it inactive). */
  activate?: boolean;
}

/** Load a PEFT adapter folder onto `model` (its base), as PeftModel.from_pretrained / load_adapter. */
export function loadAdapter(model: T5Model, folder: string, options: LoadAdapterOptions = {}): LoraConfig {
  const { config, weights } = readAdapter(folder, model.config);
  try {
    attachAdapter(model, options.name ?? "default", config, weights, options.activate ?? true, folder);
  } catch (error) {
    Object.values(weights).forEach((t) => t.dispose());
    throw error;
  }
  return config;
}

/**
 * Put a saved adapter's tensors into the model's live adapter of the same modules and rank, assigning into its
 * tf.Variables when it has them (resuming a LoRA run keeps the variables the optimizer knows).
 */
export function restoreAdapter(model: T5Model, folder: string, name = model.lora?.active ?? undefined): void {
  const { weights } = readAdapter(folder, model.config);
  try {
    const live = adapterWeights(model, name ?? undefined);
    const missing = Object.keys(live).filter((n) => !weights[n]);
    const extra = Object.keys(weights).filter((n) => !live[n]);
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(`${folder}: its modules differ from the live adapter's (${[...missing, ...extra].slice(0, 3).join(", ")}, ...).`);
    }
    for (const [param, tensor] of Object.entries(live)) {
      if (tensor.shape.some((n, i) => n !== weights[param].shape[i])) {
        throw new Error(`${folder}: ${param} has shape [${weights[param].shape}], the live adapter's is [${tensor.shape}] (another r?).`);
      }
    }
    for (const [param, tensor] of Object.entries(live)) {
      if (!(tensor instanceof tf.Variable)) throw new Error(`restoreAdapter: the live ${param} is not a variable.`);
      tensor.assign(weights[param]);
    }
  } finally {
    Object.values(weights).forEach((t) => t.dispose());
  }
}

export interface SaveAdapterOptions {
  /** Which adapter (default: the active one). */
  name?: string;
  /** Written as base_model_name_or_path (default: the adapter's own, else the base config's _name_or_path). */
  baseModel?: string;
}

/** adapter_config.json as PEFT writes it: every LoraConfig field, keys sorted. */
function peftConfigJson(config: LoraConfig, baseModel: string | null): string {
  const fields: Record<string, unknown> = {
    alpha_pattern: {},
    layers_pattern: null,
    layers_to_transform: null,
    rank_pattern: {},
    revision: null,
    use_dora: false,
    ...config,
    base_model_name_or_path: baseModel,
    inference_mode: true,
  };
  const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  return JSON.stringify(sorted, null, 2) + "\n";
}

/** Save one adapter alone, in PEFT's layout, to a folder that PeftModel.from_pretrained(base, folder) loads. */
export function saveAdapter(model: T5Model, folder: string, options: SaveAdapterOptions = {}): void {
  const name = options.name ?? activeAdapter(model)?.name;
  if (!name) {
    const held = adapterNames(model);
    throw new Error(`saveAdapter: the model has no active LoRA adapter${held.length ? `; name one of ${held.join(", ")}` : ""}.`);
  }
  const config = model.lora?.adapters[name]?.config as LoraConfig;
  const weights = adapterWeights(model, name);
  const disk: Record<string, HostTensor> = {};
  for (const [param, host] of Object.entries(weightsFromParams(weights))) disk[PEFT_PREFIX + param] = host;
  const nameOrPath = model.config._name_or_path;
  const baseModel = options.baseModel ?? config.base_model_name_or_path ?? (typeof nameOrPath === "string" ? nameOrPath : null);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, ADAPTER_CONFIG_FILE), peftConfigJson(config, baseModel));
  fs.writeFileSync(path.join(folder, ADAPTER_WEIGHTS_FILE), serializeSafetensors(disk));
}
