// A run's spec: what decides its weights and metrics (hyperparameters, and what the caller says about model and
// data). run.json records it; resuming in the same folder with another spec would mix two runs into one, so it is
// refused, naming the fields that differ.
import { canonicalJson } from "../io/content-hash";
import { JsonValue } from "./batches";

/** A value as plain JSON with object keys sorted and undefined fields left out (as run.json holds it), for comparing specs. */
export function specValue(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(canonicalJson(value)) as JsonValue);
}

/** One field that differs between the recorded spec and the requested one. */
export interface SpecDifference {
  /** Dotted path of the field, e.g. "learningRate" or "describe.--lr". */
  field: string;
  recorded: JsonValue | undefined;
  requested: JsonValue | undefined;
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } => v !== null && typeof v === "object" && !Array.isArray(v);

/** The fields (leaves, by dotted path) where two specs differ; [] when they are the same. */
export function specDifferences(recorded: JsonValue | undefined, requested: JsonValue | undefined, prefix = ""): SpecDifference[] {
  if (isObject(recorded) && isObject(requested)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(requested)])].sort();
    return keys.flatMap((key) => specDifferences(recorded[key], requested[key], prefix === "" ? key : `${prefix}.${key}`));
  }
  return JSON.stringify(recorded ?? null) === JSON.stringify(requested ?? null) ? [] : [{ field: prefix, recorded, requested }];
}

/** "lr: 0.001 in the recorded run, 0.0005 now" for each difference, joined. */
export function formatSpecDifferences(differences: readonly SpecDifference[], name: (field: string) => string = (f) => f): string {
  const show = (v: JsonValue | undefined) => (v === undefined || v === null ? "(not set)" : JSON.stringify(v));
  return differences.map((d) => `${name(d.field)}: ${show(d.recorded)} in the recorded run, ${show(d.requested)} now`).join("; ");
}

/** A run folder holds a run with another spec: resuming it would mix two runs. */
export class RunSpecMismatchError extends Error {
  override readonly name = "RunSpecMismatchError";
  constructor(
    readonly runDir: string,
    readonly differences: SpecDifference[],
    message: string,
  ) {
    super(message);
  }
}
