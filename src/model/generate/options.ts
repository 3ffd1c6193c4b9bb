// Generation options. One table, OPTIONS, says for every option its default, the values it accepts and its field
// in Hugging Face's generation_config.json; filling in defaults, checking, and reading that file all follow it.
import { T5Config } from "../config";

/** What generate() can be told; every option has a default (GENERATION_DEFAULTS, or the model config). */
export interface GenerationOptions {
  /** Tokens to generate at most per row (EOS included). Default 20. */
  maxNewTokens?: number;
  /** EOS is suppressed (logit -Infinity) until this many tokens were generated. Default 0. */
  minNewTokens?: number;
  /** 1 = greedy or sampling; more = beam search, best beam per input. Default 1. */
  numBeams?: number;
  /** Beam score = sum of log-probs / (generated length)^lengthPenalty. Default 1.0. */
  lengthPenalty?: number;
  /** Beam search stop rule, as Hugging Face's: true, false (heuristic) or "never". Default false. */
  earlyStopping?: boolean | "never";
  /** Sample from the (warped) distribution instead of taking the argmax. Default false. */
  doSample?: boolean;
  /** Sampling only: logits / temperature. Default 1.0. */
  temperature?: number;
  /** Sampling only: keep the k highest logits (ties with the k-th kept); 0 = off. Default 50, as Hugging Face. */
  topK?: number;
  /** Sampling only: keep the smallest set of top tokens with probability >= topP; 1 = off. Default 1.0. */
  topP?: number;
  /** Seed of the sampling draws (mulberry32); same seed, same tokens. Default 0. */
  seed?: number;
  /** >1 discourages tokens already in the decoder sequence (start token included, as Hugging Face). Default 1.0. */
  repetitionPenalty?: number;
  /** n > 0: no n-gram of the decoder sequence (start token included, as Hugging Face) occurs twice; 0 = off. Default 0. */
  noRepeatNgramSize?: number;
  /** false = ignore EOS and always generate maxNewTokens. Default true. */
  stopAtEos?: boolean;
  /** false = rerun the whole decoder every step (slow; a check on the cache). Default true. */
  useCache?: boolean;
  /** Default: model.config.eos_token_id. An array stops on any of them. */
  eosTokenId?: number | number[];
  /** Padding of ragged inputs. Default: model.config.pad_token_id. */
  padTokenId?: number;
  /** Default: model.config.decoder_start_token_id. */
  decoderStartTokenId?: number;
}

/** GenerationOptions with every default filled in and checked; the EOS ids always as a list. */
export interface ResolvedGenerationOptions extends Required<Omit<GenerationOptions, "eosTokenId">> {
  eosTokenIds: number[];
}

/** The model config fields generation reads. */
type TokenConfig = Pick<T5Config, "vocab_size" | "eos_token_id" | "pad_token_id" | "decoder_start_token_id">;

/** The JSON type of an option's value. */
type Kind = "integer" | "number" | "boolean" | "earlyStopping" | "tokenIds";

/** Whether `value` is an integer (a number without fraction; not NaN or Infinity). */
function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

const isEarlyStopping = (v: unknown): v is boolean | "never" => v === true || v === false || v === "never";

const KINDS: Record<Kind, { words: string; test: (value: unknown) => boolean }> = {
  integer: { words: "an integer", test: isInt },
  number: { words: "a number", test: (v) => typeof v === "number" && Number.isFinite(v) },
  boolean: { words: "true or false", test: (v) => typeof v === "boolean" },
  earlyStopping: { words: 'true, false or "never"', test: isEarlyStopping },
  tokenIds: { words: "an integer or a list of integers", test: (v) => isInt(v) || (Array.isArray(v) && v.every(isInt)) },
};

interface OptionSpec<T> {
  /** The JSON type of its generation_config.json field. */
  kind: Kind;
  /** The fixed default; absent for token ids, whose default is the model config's field `fromConfig`. */
  default?: T;
  fromConfig?: "eos_token_id" | "pad_token_id" | "decoder_start_token_id";
  /** The values generation accepts (given every option), and the same in words. Booleans take any value, as truthy. */
  valid?: (value: T, options: ResolvedGenerationOptions) => boolean;
  accepts?: string;
  /** Its generation_config.json field; absent for flanlab's own options. */
  hf?: string;
  /** The generation_config.json field that counts the decoder start token too, read when `hf` is absent. */
  hfLength?: { field: string; toNewTokens: (length: number) => number };
}

const OPTIONS: { [K in keyof GenerationOptions]-?: OptionSpec<Exclude<GenerationOptions[K], undefined>> } = {
  maxNewTokens: {
    kind: "integer",
    default: 20,
    valid: (v) => isInt(v) && v >= 1,
    accepts: "an integer >= 1",
    hf: "max_new_tokens",
    hfLength: { field: "max_length", toNewTokens: (length) => length - 1 },
  },
  minNewTokens: {
    kind: "integer",
    default: 0,
    valid: (v) => isInt(v) && v >= 0,
    accepts: "an integer >= 0",
    hf: "min_new_tokens",
    hfLength: { field: "min_length", toNewTokens: (length) => Math.max(0, length - 1) },
  },
  numBeams: { kind: "integer", default: 1, valid: (v) => isInt(v) && v >= 1, accepts: "an integer >= 1", hf: "num_beams" },
  lengthPenalty: { kind: "number", default: 1.0, valid: (v) => Number.isFinite(v), accepts: "a finite number", hf: "length_penalty" },
  earlyStopping: { kind: "earlyStopping", default: false, valid: isEarlyStopping, accepts: KINDS.earlyStopping.words, hf: "early_stopping" },
  doSample: { kind: "boolean", default: false, hf: "do_sample" },
  temperature: {
    kind: "number",
    default: 1.0,
    valid: (v, o) => !o.doSample || (v > 0 && Number.isFinite(v)), // as Hugging Face: ignored unless sampling
    accepts: "> 0 when sampling (doSample)",
    hf: "temperature",
  },
  topK: { kind: "integer", default: 50, valid: (v) => isInt(v) && v >= 0, accepts: "an integer >= 0 (0 = off)", hf: "top_k" },
  topP: { kind: "number", default: 1.0, valid: (v) => v > 0 && v <= 1, accepts: "in (0, 1]", hf: "top_p" },
  seed: { kind: "integer", default: 0, valid: isInt, accepts: "an integer" },
  repetitionPenalty: {
    kind: "number",
    default: 1.0,
    valid: (v) => v > 0 && Number.isFinite(v),
    accepts: "a positive number",
    hf: "repetition_penalty",
  },
  noRepeatNgramSize: {
    kind: "integer",
    default: 0,
    valid: (v) => isInt(v) && v >= 0,
    accepts: "an integer >= 0 (0 = off)",
    hf: "no_repeat_ngram_size",
  },
  stopAtEos: { kind: "boolean", default: true },
  useCache: { kind: "boolean", default: true },
  eosTokenId: { kind: "tokenIds", fromConfig: "eos_token_id", hf: "eos_token_id" },
  padTokenId: { kind: "integer", fromConfig: "pad_token_id", hf: "pad_token_id" },
  decoderStartTokenId: { kind: "integer", fromConfig: "decoder_start_token_id", hf: "decoder_start_token_id" },
};

const OPTION_SPECS = Object.entries(OPTIONS) as [keyof GenerationOptions, OptionSpec<unknown>][];

/** Defaults of the options that do not come from the model config (Hugging Face's, except maxNewTokens). */
export const GENERATION_DEFAULTS = Object.fromEntries(
  OPTION_SPECS.filter(([, spec]) => spec.fromConfig === undefined).map(([key, spec]) => [key, spec.default]),
) as Omit<ResolvedGenerationOptions, "eosTokenIds" | "padTokenId" | "decoderStartTokenId">;

/** `id`, checked to be a token id of a vocabulary of `vocab` tokens; `what` names it in the error. */
export function checkTokenId(id: unknown, what: string, vocab: number): number {
  if (!isInt(id) || id < 0 || id >= vocab) {
    throw new Error(`${what} = ${JSON.stringify(id)} is not a token id of the vocabulary [0, ${vocab}).`);
  }
  return id;
}

const show = (value: unknown) => (typeof value === "number" ? String(value) : JSON.stringify(value));

/** Fill defaults from the options and the model config; throw a clear error on anything out of range. */
export function resolveGenerationOptions(config: TokenConfig, options: GenerationOptions = {}): ResolvedGenerationOptions {
  const filled: Record<string, unknown> = {};
  for (const [key, spec] of OPTION_SPECS) {
    const given = options[key];
    const value = given !== undefined ? given : spec.fromConfig !== undefined ? config[spec.fromConfig] : spec.default;
    filled[key] = spec.kind === "boolean" ? Boolean(value) : value;
  }
  for (const [key, spec] of OPTION_SPECS) {
    if (spec.valid && !spec.valid(filled[key], filled as unknown as ResolvedGenerationOptions)) {
      throw new Error(`${key} must be ${spec.accepts}, got ${show(filled[key])}.`);
    }
  }
  const { eosTokenId, ...o } = filled as Required<GenerationOptions>;
  if (o.doSample && o.numBeams > 1) {
    throw new Error(`doSample with numBeams > 1 (beam sampling) is not supported; use numBeams 1 or doSample false.`);
  }
  const vocab = config.vocab_size; // token ids: checked against the vocabulary
  const eosTokenIds = Array.isArray(eosTokenId)
    ? eosTokenId.map((id, i) => checkTokenId(id, `eosTokenId[${i}]`, vocab))
    : [checkTokenId(eosTokenId, "eosTokenId", vocab)];
  return {
    ...o,
    eosTokenIds,
    padTokenId: checkTokenId(o.padTokenId, "padTokenId", vocab),
    decoderStartTokenId: checkTokenId(o.decoderStartTokenId, "decoderStartTokenId", vocab),
  };
}

/**
 * GenerationOptions from a Hugging Face generation_config.json object. Only fields present (and not null) are set;
 * the rest keep GenerationOptions' defaults. For an encoder-decoder, max_length and min_length count the decoder
 * start token, so they become maxNewTokens = max_length - 1 and minNewTokens = max(0, min_length - 1);
 * max_new_tokens and min_new_tokens win over them.
 */
export function generationOptionsFromConfig(json: Record<string, unknown>): GenerationOptions {
  const read = (field: string, kind: Kind): unknown => {
    const value = json[field] === null ? undefined : json[field];
    if (value !== undefined && !KINDS[kind].test(value)) {
      throw new Error(`generation_config: field "${field}" must be ${KINDS[kind].words}, got ${JSON.stringify(value)}.`);
    }
    return value;
  };
  const options: Record<string, unknown> = {};
  for (const [key, spec] of OPTION_SPECS) {
    if (spec.hf === undefined) continue;
    const value = read(spec.hf, spec.kind);
    const length = spec.hfLength && (read(spec.hfLength.field, "integer") as number | undefined);
    if (value !== undefined) options[key] = value;
    else if (spec.hfLength && length !== undefined) options[key] = spec.hfLength.toNewTokens(length);
  }
  return options as GenerationOptions;
}
