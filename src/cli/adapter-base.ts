// An adapter names the base it was trained on (adapter_config.json's base_model_name_or_path). Another base of the
// same shapes loads without an error and gives meaningless outputs, so a base that does not match is said aloud.
import * as fs from "fs";
import * as path from "path";
import { ADAPTER_CONFIG_FILE } from "../io/adapter";
import { hubNameOfFolder } from "../io/hub";

/** The base an adapter folder names, or null when it names none (or its config cannot be read: loading reports that). */
function recordedBase(adapterFolder: string): string | null {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(adapterFolder, ADAPTER_CONFIG_FILE), "utf8")) as { base_model_name_or_path?: unknown };
    return typeof config.base_model_name_or_path === "string" && config.base_model_name_or_path !== "" ? config.base_model_name_or_path : null;
  } catch {
    return null;
  }
}

const realPath = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));

/** Whether `base` (a Hub name or a path, as training recorded it) names the model given as `modelSpec` (found at `modelFolder`). */
export function namesSameModel(base: string, modelSpec: string, modelFolder: string): boolean {
  if (base === modelSpec || base === hubNameOfFolder(modelFolder)) return true;
  return realPath(base) === realPath(modelFolder);
}

/** A warning when the adapter was trained on another base than the model it is loaded on; null when they match or it names none. */
export function adapterBaseWarning(adapterFolder: string, modelSpec: string, modelFolder: string): string | null {
  const base = recordedBase(adapterFolder);
  if (base === null || namesSameModel(base, modelSpec, modelFolder)) return null;
  return (
    `--adapter ${adapterFolder} was trained on "${base}" (base_model_name_or_path in ${ADAPTER_CONFIG_FILE}), not on --model ${modelSpec}. ` +
    "Its shapes fit, so it loads, but on another base its outputs mean little."
  );
}
