// LoRA as Hugging Face PEFT does it (LoraConfig, LoraModel): each targeted linear weight W gets two small matrices A
// and B, and the layer computes x W + (lora_alpha / r) dropout(x) A B. A starts random, B at zero, so a fresh adapter
// changes nothing. In memory A is [in, r] and B is [r, out] (disk keeps PEFT's lora_A.weight [r, in] and lora_B.weight
// [out, r]; io/adapter.ts transposes), stored in the model's parameter map next to W under PEFT's names:
// `encoder.block.0.layer.0.SelfAttention.q.lora_A.weight`. A model may hold several adapters (one per task); the
// active one's tensors are in model.params, the others wait in model.lora.adapters until setAdapter switches.
import * as tf from "@tensorflow/tfjs";
import { T5Config } from "./config";
import { ParamMap, countParameters, isLinearWeight, parameterSpecs } from "./params";
import type { T5Model } from "./t5";
import { normalSeed } from "../random";

// ---------------------------------------------------------------------------------------------------------------
// Config

/** PEFT's LoraConfig fields (adapter_config.json), same names and meaning. */
export interface LoraConfig {
  peft_type: "LORA";
  r: number;
  lora_alpha: number;
  /** Dropout on the adapter's input during training. */
  lora_dropout: number;
  /**
   * A list of module names, each matching every module whose name is it or ends with "." + it (`q` matches every
   * `...SelfAttention.q` and `...EncDecAttention.q`); or one string, a regular expression the whole module name must
   * match; or "all-linear": every linear layer but lm_head.
   */
  target_modules: string[] | string;
  /** T5 has no bias terms, so the three values PEFT knows train the same parameters here. */
  bias: "none" | "all" | "lora_only";
  /** Scale by lora_alpha / sqrt(r) instead of lora_alpha / r. */
  use_rslora: boolean;
  /** true: A kaiming-uniform, B zeros; "gaussian": A normal(0, 1/r), B zeros; false: B random too (for tests). */
  init_lora_weights: boolean | "gaussian";
  fan_in_fan_out: boolean;
  task_type: string;
  base_model_name_or_path: string | null;
  modules_to_save: string[] | null;
  /** Any other field of adapter_config.json is kept, so that saving writes it back. */
  [extra: string]: unknown;
}

/** PEFT's defaults; target_modules is PEFT's default for T5 (TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING). */
export const LORA_DEFAULTS: LoraConfig = {
  peft_type: "LORA",
  r: 8,
  lora_alpha: 8,
  lora_dropout: 0,
  target_modules: ["q", "v"],
  bias: "none",
  use_rslora: false,
  init_lora_weights: true,
  fan_in_fan_out: false,
  task_type: "SEQ_2_SEQ_LM",
  base_model_name_or_path: null,
  modules_to_save: null,
};

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === "object" && Object.keys(value as object).length === 0);

/** Fill PEFT's defaults, check every field; `source` (a file name) appears in errors. */
export function makeLoraConfig(partial: Partial<LoraConfig> = {}, source = "LoRA config"): LoraConfig {
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined && v !== null));
  const config = { ...LORA_DEFAULTS, ...given } as LoraConfig;
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (config.peft_type !== "LORA") fail(`peft_type is ${JSON.stringify(config.peft_type)}; flanlab reads LoRA adapters ("LORA").`);
  if (!Number.isInteger(config.r) || config.r <= 0) fail(`r (the LoRA rank) must be a positive integer, got ${JSON.stringify(config.r)}.`);
  if (typeof config.lora_alpha !== "number" || !(config.lora_alpha > 0)) fail(`lora_alpha must be a number > 0, got ${JSON.stringify(config.lora_alpha)}.`);
  if (typeof config.lora_dropout !== "number" || !(config.lora_dropout >= 0 && config.lora_dropout < 1)) {
    fail(`lora_dropout must be in [0, 1), got ${JSON.stringify(config.lora_dropout)}.`);
  }
  const targets = config.target_modules;
  if (typeof targets === "string") {
    if (targets === "") fail("target_modules is an empty string.");
    try {
      new RegExp(targets);
    } catch (error) {
      fail(`target_modules "${targets}" is not a valid regular expression (${(error as Error).message}).`);
    }
  } else if (!Array.isArray(targets) || targets.length === 0 || targets.some((t) => typeof t !== "string" || t === "")) {
    fail(`target_modules must be a non-empty list of module names (e.g. ["q", "v"]) or a regular expression, got ${JSON.stringify(targets)}.`);
  }
  if (!["none", "all", "lora_only"].includes(config.bias)) fail(`bias must be "none", "all" or "lora_only", got ${JSON.stringify(config.bias)}.`);
  if (config.fan_in_fan_out) fail("fan_in_fan_out is true, which is for GPT-2's Conv1D; T5's linear layers need false.");
  if (config.use_dora) fail("use_dora is true: DoRA adapters are not supported, only plain LoRA.");
  if (!isEmpty(config.modules_to_save)) fail(`modules_to_save ${JSON.stringify(config.modules_to_save)} is not supported (full copies of modules).`);
  for (const field of ["rank_pattern", "alpha_pattern"]) {
    if (!isEmpty(config[field])) fail(`${field} ${JSON.stringify(config[field])} is not supported: flanlab uses one r and one lora_alpha.`);
  }
  if (!isEmpty(config.layers_to_transform)) fail("layers_to_transform is not supported: select layers with a target_modules regular expression.");
  return config;
}

/** The factor of the adapter's term: lora_alpha / r, or lora_alpha / sqrt(r) with use_rslora. */
export function loraScaling(config: Pick<LoraConfig, "r" | "lora_alpha" | "use_rslora">): number {
  return config.use_rslora ? config.lora_alpha / Math.sqrt(config.r) : config.lora_alpha / config.r;
}

/** A parameter-map entry that belongs to a LoRA adapter (the trainable filter of LoRA training). */
export function isLoraParam(name: string): boolean {
  return /\.lora_[AB]\.weight$/.test(name);
}

export const loraAName = (module: string): string => `${module}.lora_A.weight`;
export const loraBName = (module: string): string => `${module}.lora_B.weight`;

// ---------------------------------------------------------------------------------------------------------------
// Which modules

/** The linear layers LoRA may adapt, name -> [in, out]: every q, k, v, o, wi / wi_0 / wi_1, wo (not lm_head). */
export function linearModules(config: T5Config): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const [name, spec] of parameterSpecs(config)) {
    if (isLinearWeight(name) && !name.startsWith("lm_head")) out.set(name.slice(0, -".weight".length), spec.shape as [number, number]);
  }
  return out;
}

const lastPart = (module: string): string => module.slice(module.lastIndexOf(".") + 1);

function matchesTarget(module: string, target: string): boolean {
  return module === target || module.endsWith(`.${target}`);
}

/**
 * The modules of this T5 that `target_modules` selects, in the model's order, with PEFT's matching rules. Strict (the
 * default): every name of a list must match some module. Loose (reading a saved adapter): some name must.
 */
export function targetModules(config: T5Config, lora: Pick<LoraConfig, "target_modules">, strict = true): string[] {
  const modules = [...linearModules(config).keys()];
  const targets = lora.target_modules;
  const kinds = [...new Set(modules.map(lastPart))].join(", ");
  const hint = `This T5's linear layers are named ${kinds} (e.g. ${modules[0]}); lm_head cannot take LoRA here.`;
  if (targets === "all-linear") return modules;
  if (typeof targets === "string") {
    const pattern = new RegExp(`^(?:${targets})$`);
    const found = modules.filter((m) => pattern.test(m));
    if (found.length === 0) throw new Error(`target_modules "${targets}" (a regular expression over whole module names) matches no module. ${hint}`);
    return found;
  }
  const unmatched = targets.filter((t) => !modules.some((m) => matchesTarget(m, t)));
  if (unmatched.length === targets.length || (strict && unmatched.length > 0)) {
    throw new Error(`target_modules: ${unmatched.map((t) => `"${t}"`).join(", ")} match${unmatched.length === 1 ? "es" : ""} no module. ${hint}`);
  }
  return modules.filter((m) => targets.some((t) => matchesTarget(m, t)));
}

/** A --lora-targets flag: "q,v" is a list of module names; text with regex characters is one pattern. */
export function targetModulesFromText(text: string | undefined): string[] | string | undefined {
  if (text === undefined) return undefined;
  if (/[*()[\]|^$+?\\]/.test(text)) return text;
  return text.split(",").map((t) => t.trim()).filter((t) => t !== "");
}

/** In-memory shapes of an adapter's tensors, A [in, r] and B [r, out] per targeted module; checks the rank. */
export function loraShapes(config: T5Config, lora: LoraConfig, strict = true): Map<string, number[]> {
  const dims = linearModules(config);
  const shapes = new Map<string, number[]>();
  for (const module of targetModules(config, lora, strict)) {
    const [inDim, outDim] = dims.get(module) as [number, number];
    if (lora.r > Math.min(inDim, outDim)) {
      throw new Error(`r=${lora.r} is larger than ${module} allows: its weight is [in ${inDim}, out ${outDim}], so the rank must be at most ${Math.min(inDim, outDim)}.`);
    }
    shapes.set(loraAName(module), [inDim, lora.r]);
    shapes.set(loraBName(module), [lora.r, outDim]);
  }
  return shapes;
}

/** Fresh adapter tensors as PEFT initialises them, reproducible for a given seed. */
export function initLoraWeights(config: T5Config, lora: LoraConfig, seed = 0): ParamMap {
  const init = lora.init_lora_weights;
  if (init !== true && init !== false && init !== "gaussian") {
    throw new Error(`init_lora_weights=${JSON.stringify(init)} is not supported (use true, "gaussian" or false).`);
  }
  const weights: ParamMap = {};
  let index = 0;
  for (const [name, shape] of loraShapes(config, lora)) {
    const tensorSeed = seed * 100003 + index++;
    // nn.Linear's default, kaiming_uniform(a=sqrt(5)), is uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)); fan_in is
    // shape[0] in memory ([in, r] for A, [r, out] for B).
    const kaiming = () => {
      const bound = 1 / Math.sqrt(shape[0]);
      return tf.randomUniform(shape, -bound, bound, "float32", tensorSeed);
    };
    if (name.endsWith(".lora_A.weight")) {
      weights[name] = init === "gaussian" ? tf.randomNormal(shape, 0, 1 / lora.r, "float32", normalSeed(tensorSeed)) : kaiming();
    } else {
      weights[name] = init === false ? kaiming() : tf.zeros(shape);
    }
  }
  return weights;
}

// ---------------------------------------------------------------------------------------------------------------
// Adapters on a model

export interface LoraAdapter {
  config: LoraConfig;
  /** Adapted modules, in the model's order. */
  modules: string[];
  /** A and B by parameter name while the adapter is inactive; empty while active (they are then in model.params). */
  weights: ParamMap;
}

/** model.lora: the adapters a model holds, and what the forward pass needs of the active one. */
export interface LoraState {
  adapters: Record<string, LoraAdapter>;
  /** The adapter the forward pass applies; null = the base model alone. */
  active: string | null;
  /** loraScaling and lora_dropout of the active adapter (read by t5.ts at every projection). */
  scaling: number;
  dropout: number;
  /** The active adapter has been added into the base weights: the forward pass must not add it again. */
  merged: boolean;
}

function loraState(model: T5Model): LoraState {
  if (!model.lora) model.lora = { adapters: {}, active: null, scaling: 0, dropout: 0, merged: false };
  return model.lora;
}

function adapterNamed(model: T5Model, name: string): LoraAdapter {
  const adapter = model.lora?.adapters[name];
  if (!adapter) {
    const known = Object.keys(model.lora?.adapters ?? {});
    throw new Error(`No LoRA adapter named "${name}"; the model has ${known.length ? known.map((n) => `"${n}"`).join(", ") : "none"}.`);
  }
  return adapter;
}

/** Check adapter tensors (in-memory layout) against this base; names the tensor at fault. */
export function checkLoraWeights(config: T5Config, lora: LoraConfig, weights: ParamMap, source = "adapter"): void {
  const dims = linearModules(config);
  for (const [name, tensor] of Object.entries(weights)) {
    const module = name.replace(/\.lora_[AB]\.weight$/, "");
    if (!isLoraParam(name)) throw new Error(`${source}: "${name}" is not a LoRA tensor (<module>.lora_A.weight or .lora_B.weight).`);
    const io = dims.get(module);
    if (!io) throw new Error(`${source}: it adapts ${module}, which this base model does not have: the adapter was made for another base.`);
    const expected = name.endsWith(".lora_A.weight") ? [io[0], lora.r] : [lora.r, io[1]];
    if (tensor.shape.length !== 2 || tensor.shape.some((n, i) => n !== expected[i])) {
      throw new Error(
        `${source}: ${name} has shape [${tensor.shape}] (in memory) but this base's ${module} is [in ${io[0]}, out ${io[1]}] ` +
          `so with r=${lora.r} it must be [${expected}]: the adapter was made for another base (or another r).`,
      );
    }
    const partner = name.endsWith(".lora_A.weight") ? loraBName(module) : loraAName(module);
    if (!weights[partner]) throw new Error(`${source}: ${name} has no ${partner}.`);
  }
  const missing = [...loraShapes(config, lora, false).keys()].filter((name) => !weights[name]);
  if (missing.length > 0) {
    throw new Error(
      `${source}: its target_modules select ${missing.length / 2 > 1 ? `${missing.length / 2} modules` : "a module"} it has no tensors for ` +
        `(${missing[0]}, ...): the adapter was made for another base.`,
    );
  }
}

/**
 * Add an adapter to the model under `name` from given tensors (in-memory layout; the model takes ownership).
 * It becomes the active adapter unless `activate` is false.
 */
export function attachAdapter(model: T5Model, name: string, config: LoraConfig, weights: ParamMap, activate = true, source = `adapter "${name}"`): void {
  checkLoraWeights(model.config, config, weights, source);
  const state = loraState(model);
  if (state.adapters[name]) throw new Error(`The model already has an adapter named "${name}"; deleteAdapter it first or use another name.`);
  const names = new Set(Object.keys(weights).map((n) => n.replace(/\.lora_[AB]\.weight$/, "")));
  const modules = [...linearModules(model.config).keys()].filter((m) => names.has(m));
  state.adapters[name] = { config, modules, weights: { ...weights } };
  if (activate) setAdapter(model, name);
}

export interface AddAdapterOptions {
  /** Default "default", as PEFT names its first adapter. */
  name?: string;
  seed?: number;
  /** Make it the active adapter (default true). */
  activate?: boolean;
}

/** A fresh adapter for `model` as PEFT's get_peft_model makes it (B = 0: the model's outputs do not change). */
export function addAdapter(model: T5Model, lora: Partial<LoraConfig> = {}, options: AddAdapterOptions = {}): LoraConfig {
  const config = makeLoraConfig(lora);
  const name = options.name ?? "default";
  if (model.lora?.adapters[name]) throw new Error(`The model already has an adapter named "${name}"; deleteAdapter it first or use another name.`);
  attachAdapter(model, name, config, initLoraWeights(model.config, config, options.seed ?? 0), options.activate ?? true);
  return config;
}

/**
 * Make `name` the active adapter (null: none, the base model alone), as PEFT's set_adapter; a merged adapter is
 * unmerged first. The switch moves tensors between model.params and the adapters' store: nothing is copied.
 */
export function setAdapter(model: T5Model, name: string | null): void {
  if (name === null && !model.lora) return;
  const next = name === null ? null : adapterNamed(model, name);
  const state = loraState(model);
  if (state.active === name) return;
  if (state.merged) unmergeAdapter(model);
  if (state.active !== null) {
    const current = state.adapters[state.active];
    for (const module of current.modules) {
      for (const param of [loraAName(module), loraBName(module)]) {
        current.weights[param] = model.params[param];
        delete model.params[param];
      }
    }
  }
  state.active = name;
  if (next) {
    Object.assign(model.params, next.weights);
    next.weights = {};
    state.scaling = loraScaling(next.config);
    state.dropout = next.config.lora_dropout;
  }
}

/** The active adapter's name and config, or undefined when the base runs alone. */
export function activeAdapter(model: T5Model): { name: string; config: LoraConfig; modules: string[] } | undefined {
  const state = model.lora;
  if (!state || state.active === null) return undefined;
  const adapter = state.adapters[state.active];
  return { name: state.active, config: adapter.config, modules: adapter.modules };
}

/** Names of the adapters the model holds. */
export function adapterNames(model: T5Model): string[] {
  return Object.keys(model.lora?.adapters ?? {});
}

/** An adapter's A and B tensors by parameter name, in module order (the live tensors, not copies). */
export function adapterWeights(model: T5Model, name = model.lora?.active ?? undefined): ParamMap {
  if (name === undefined || name === null) throw new Error("The model has no active LoRA adapter; name one.");
  const adapter = adapterNamed(model, name);
  const source = model.lora?.active === name ? model.params : adapter.weights;
  const out: ParamMap = {};
  for (const module of adapter.modules) {
    out[loraAName(module)] = source[loraAName(module)];
    out[loraBName(module)] = source[loraBName(module)];
  }
  return out;
}

/** Remove an adapter and dispose its tensors (PEFT's delete_adapter); the base runs alone if it was active. */
export function deleteAdapter(model: T5Model, name: string): void {
  const weights = adapterWeights(model, name);
  if (model.lora?.active === name) setAdapter(model, null);
  Object.values(weights).forEach((t) => t.dispose());
  delete model.lora?.adapters[name];
}

/** Replace W by W + sign * scaling * A B for every module of the active adapter; keeps variables variables. */
function addProductToBase(model: T5Model, sign: 1 | -1): void {
  const active = activeAdapter(model);
  if (!active) throw new Error("The model has no active LoRA adapter to merge or unmerge.");
  const scale = sign * loraScaling(active.config);
  for (const module of active.modules) {
    const name = `${module}.weight`;
    const base = model.params[name];
    const updated = tf.tidy(() => tf.add(base, tf.mul(tf.matMul(model.params[loraAName(module)], model.params[loraBName(module)]), scale)));
    if (base instanceof tf.Variable) {
      base.assign(updated);
      updated.dispose();
    } else {
      model.params[name] = updated;
      base.dispose();
    }
  }
}

/** Add the active adapter into the base weights (PEFT's merge_adapter): same outputs, no extra cost per token. */
export function mergeAdapter(model: T5Model): void {
  if (model.lora?.merged) throw new Error(`Adapter "${model.lora.active}" is already merged.`);
  addProductToBase(model, 1);
  loraState(model).merged = true;
}

/** Subtract a merged adapter from the base weights again (PEFT's unmerge_adapter; equal up to float rounding). */
export function unmergeAdapter(model: T5Model): void {
  if (!model.lora?.merged) throw new Error("No LoRA adapter is merged into the base weights.");
  addProductToBase(model, -1);
  model.lora.merged = false;
}

/** Merge the active adapter into the base for good and drop every adapter (PEFT's merge_and_unload). */
export function mergeAndUnload(model: T5Model): void {
  if (!model.lora?.merged) mergeAdapter(model);
  const state = loraState(model);
  const merged = state.active as string;
  const weights = adapterWeights(model, merged);
  for (const name of Object.keys(weights)) delete model.params[name]; // now part of the base: drop, don't unmerge
  Object.values(weights).forEach((t) => t.dispose());
  delete state.adapters[merged];
  Object.assign(state, { active: null, merged: false });
  unloadAdapters(model);
}

/** Drop every adapter, leaving the base model as it was (PEFT's unload); a merged adapter is unmerged first. */
export function unloadAdapters(model: T5Model): void {
  for (const name of adapterNames(model)) deleteAdapter(model, name);
  delete model.lora;
}

let trainableSets = 0;

/**
 * Make the model trainable for LoRA: every parameter becomes a tf.Variable, and only the active adapter's are
 * trainable (the base stays frozen, so train() leaves it bit-identical). Returns the model.
 */
export function loraTrainable(model: T5Model): T5Model {
  if (!activeAdapter(model)) throw new Error("loraTrainable: the model has no active LoRA adapter (addAdapter or loadAdapter first).");
  const suffix = `#lora${++trainableSets}`; // tfjs variable names are global
  for (const [name, tensor] of Object.entries(model.params)) {
    const trainable = isLoraParam(name);
    if (tensor instanceof tf.Variable) {
      tensor.trainable = trainable;
    } else {
      model.params[name] = tf.variable(tensor, trainable, name + suffix);
      tensor.dispose();
    }
  }
  return model;
}

// ---------------------------------------------------------------------------------------------------------------
// Counting, as PEFT's print_trainable_parameters

/** Trainable and total parameter counts, as PEFT's print_trainable_parameters reports them. */
export interface ParameterReport {
  trainable: number;
  all: number;
  /** 100 * trainable / all */
  percent: number;
}

const report = (trainable: number, all: number): ParameterReport => ({ trainable, all, percent: (100 * trainable) / all });
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Parameters of a LoRA adapter with this config on this T5, without building any tensor. */
export function countLoraParameters(config: T5Config, lora: Partial<LoraConfig>): number {
  let total = 0;
  for (const shape of loraShapes(config, makeLoraConfig(lora)).values()) total += size(shape);
  return total;
}

/**
 * Trainable and total parameters of a T5 config with a LoRA adapter (only the adapter trains), or without one (full
 * fine-tuning: everything trains). Tied embeddings count once, as in PEFT's count over named_parameters().
 */
export function parameterReport(config: T5Config, lora?: Partial<LoraConfig>): ParameterReport {
  const base = countParameters(config);
  if (!lora) return report(base, base);
  const adapter = countLoraParameters(config, lora);
  return report(adapter, base + adapter);
}

/**
 * The same for a live model: trainable = its trainable tf.Variables when it has variables, else the active adapter
 * when there is one, else everything; all = its parameters plus those of inactive adapters.
 */
export function modelParameterReport(model: T5Model): ParameterReport {
  const entries = Object.entries(model.params);
  const parked = Object.values(model.lora?.adapters ?? {}).flatMap((a) => Object.values(a.weights));
  const all = [...entries.map(([, t]) => t), ...parked].reduce((sum, t) => sum + t.size, 0);
  const hasVariables = entries.some(([, t]) => t instanceof tf.Variable);
  const hasAdapter = activeAdapter(model) !== undefined;
  const trainable = entries
    .filter(([name, t]) => (hasVariables ? t instanceof tf.Variable && t.trainable : hasAdapter ? isLoraParam(name) : true))
    .reduce((sum, [, t]) => sum + t.size, 0);
  return report(trainable, all);
}

/** PEFT's line: `trainable params: 344,064 || all params: 77,305,216 || trainable%: 0.4451`. */
export function formatParameterReport(r: ParameterReport): string {
  const n = (x: number) => x.toLocaleString("en-US");
  return `trainable params: ${n(r.trainable)} || all params: ${n(r.all)} || trainable%: ${r.percent.toFixed(4)}`;
}

/** PEFT's print_trainable_parameters for a live model; returns the line too. */
export function printTrainableParameters(model: T5Model): string {
  const line = formatParameterReport(modelParameterReport(model));
  console.log(line);
  return line;
}

// ---------------------------------------------------------------------------------------------------------------
// Public configs, to count parameters of the real models without downloading them
