// A model's tensors from start to end: a copy that can train while the original stays as it was, and the disposal
// of everything a model holds, its LoRA adapters' tensors included.
import * as tf from "@tensorflow/tfjs";
import type { LoraState } from "./lora";
import { ParamMap } from "./params";
import type { T5Model } from "./t5";

function cloneParams(params: ParamMap): ParamMap {
  const out: ParamMap = {};
  for (const [name, tensor] of Object.entries(params)) out[name] = tf.clone(tensor);
  return out;
}

function cloneLoraState(state: LoraState): LoraState {
  const adapters: LoraState["adapters"] = {};
  for (const [name, adapter] of Object.entries(state.adapters)) adapters[name] = { ...adapter, weights: cloneParams(adapter.weights) };
  return { ...state, adapters };
}

/** A copy of a model with its own tensors (plain tensors, not variables), adapters included: the original stays untouched while the copy trains. */
export function copyModel(model: T5Model): T5Model {
  const copy: T5Model = { config: model.config, params: cloneParams(model.params) };
  if (model.lora) copy.lora = cloneLoraState(model.lora);
  return copy;
}

/** Free every tensor a model holds: its parameters and the tensors of its inactive LoRA adapters. */
export function disposeModel(model: T5Model): void {
  Object.values(model.params).forEach((t) => t.dispose());
  for (const adapter of Object.values(model.lora?.adapters ?? {})) Object.values(adapter.weights).forEach((t) => t.dispose());
}
