// The --lora-* flags that `train` and `params` share. Any of them turns LoRA on; what they leave out is PEFT's
// default, read from LORA_DEFAULTS (src/model/lora.ts) when the adapter is made, never restated here.
import { LORA_DEFAULTS, LoraConfig, targetModulesFromText } from "../model/lora";
import { fail, integerFlag, numberFlag } from "./common";

/** parseArgs option specs of the LoRA flags. */
export const LORA_FLAGS = {
  "lora-r": { type: "string" },
  "lora-alpha": { type: "string" },
  "lora-dropout": { type: "string" },
  "lora-targets": { type: "string" },
} as const;

/** The usage lines of the LoRA flags, with PEFT's defaults they fall back to. */
export const LORA_USAGE =
  "[--lora-r R] [--lora-alpha A] [--lora-dropout D] [--lora-targets q,v|all-linear]\n" +
  "            Any --lora-* flag turns LoRA on; the others take PEFT's defaults " +
  `(r ${LORA_DEFAULTS.r}, alpha ${LORA_DEFAULTS.lora_alpha}, dropout ${LORA_DEFAULTS.lora_dropout}, ${[LORA_DEFAULTS.target_modules].flat().join(",")}).\n` +
  "            --lora-targets: module names (q,v,wi_0,...) or, with regex characters, one pattern over whole module names.";

/** --lora-r: an integer >= 1, the flag named in the words the library uses for r. */
function loraRank(text: string | undefined): number | undefined {
  const r = integerFlag("lora-r", text);
  if (r !== undefined && r < 1) fail(`--lora-r: r (the LoRA rank) must be a positive integer, got ${r}.`);
  return r;
}

/** The adapter the LoRA flags ask for, only the fields given; undefined when no --lora-* flag is (full fine-tuning). */
export function loraFromFlags(values: Record<string, unknown>): Partial<LoraConfig> | undefined {
  const text = (flag: keyof typeof LORA_FLAGS) => values[flag] as string | undefined;
  if (Object.keys(LORA_FLAGS).every((flag) => values[flag] === undefined)) return undefined;
  const given: Partial<LoraConfig> = {
    r: loraRank(text("lora-r")),
    lora_alpha: numberFlag("lora-alpha", text("lora-alpha"), { above: 0 }),
    lora_dropout: numberFlag("lora-dropout", text("lora-dropout"), { min: 0, below: 1 }),
    target_modules: targetModulesFromText(text("lora-targets")),
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) as Partial<LoraConfig>;
}
