// The generation flags that `generate` and `eval` share: each checked by its flag name and range before any model
// loads, and a sampling flag without sampling refused rather than ignored.
import { loadGenerationConfig } from "../io/checkpoint";
import { resolveModelFolder } from "../io/hub";
import { GenerationOptions, generationOptionsFromConfig } from "../model/generate";
import { fail, integerFlag, numberFlag } from "./common";

/** The generation flags shared by generate and eval (parseArgs option specs). */
export const GENERATION_FLAGS = {
  "max-new-tokens": { type: "string" },
  "num-beams": { type: "string" },
  "do-sample": { type: "boolean" },
  temperature: { type: "string" },
  "top-k": { type: "string" },
  "top-p": { type: "string" },
  "sample-seed": { type: "string" },
  "repetition-penalty": { type: "string" },
  "no-repeat-ngram-size": { type: "string" },
} as const;

/** The usage lines of the generation flags. */
export const GENERATION_USAGE =
  "  generation: [--max-new-tokens N] [--num-beams N] [--do-sample --temperature T --top-k K --top-p P --sample-seed S]\n" +
  "              [--repetition-penalty R] [--no-repeat-ngram-size N]; defaults come from the model folder's\n" +
  "              generation_config.json. --no-repeat-ngram-size N: no N tokens in a row occur twice (0 = off).";

/** Flags that only sampling reads. */
const SAMPLING_FLAGS = ["temperature", "top-k", "top-p", "sample-seed"] as const;

/** The options the flags give (only those given), each checked by flag name and range. */
export function generationFlagOptions(values: Record<string, unknown>): GenerationOptions {
  const text = (flag: string) => values[flag] as string | undefined;
  const given: GenerationOptions = {
    maxNewTokens: integerFlag("max-new-tokens", text("max-new-tokens"), { min: 1 }),
    numBeams: integerFlag("num-beams", text("num-beams"), { min: 1 }),
    doSample: values["do-sample"] as boolean | undefined,
    temperature: numberFlag("temperature", text("temperature"), { above: 0 }),
    topK: integerFlag("top-k", text("top-k"), { min: 0 }),
    topP: numberFlag("top-p", text("top-p"), { above: 0, max: 1 }),
    seed: integerFlag("sample-seed", text("sample-seed")),
    repetitionPenalty: numberFlag("repetition-penalty", text("repetition-penalty"), { above: 0 }),
    noRepeatNgramSize: integerFlag("no-repeat-ngram-size", text("no-repeat-ngram-size"), { min: 0 }),
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as GenerationOptions;
}

/** generation_config.json of the model folder, overridden by the flags given; flags that would be ignored are an error. */
export function generationOptions(modelFolder: string, values: Record<string, unknown>): GenerationOptions {
  const overrides = generationFlagOptions(values);
  const options: GenerationOptions = { ...generationOptionsFromConfig(loadGenerationConfig(resolveModelFolder(modelFolder))), ...overrides };
  const samplingGiven = SAMPLING_FLAGS.filter((flag) => values[flag] !== undefined).map((flag) => `--${flag}`);
  if (!options.doSample && samplingGiven.length > 0) {
    fail(`${samplingGiven.join(", ")} only appl${samplingGiven.length === 1 ? "ies" : "y"} when sampling: add --do-sample (greedy and beam search ignore ${samplingGiven.length === 1 ? "it" : "them"}).`);
  }
  if (options.doSample && (options.numBeams ?? 1) > 1) fail(`--do-sample with --num-beams ${options.numBeams} (beam sampling) is not supported: use one of them.`);
  return options;
}
