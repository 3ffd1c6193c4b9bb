// Turn a SentencePiece Unigram vocabulary (the TSV `spm_export_vocab` prints: piece<TAB>log-probability) into a
// Hugging Face `tokenizer.json` + `tokenizer_config.json` in the shape T5 checkpoints use.
//
// Pure functions: no files, no spm binaries, so this is testable on its own (scripts/train-tokenizer.ts does the I/O).
//
// What differs from a converted T5 `spiece.model`: T5's normalizer is a "Precompiled" character map (the compiled
// form of SentencePiece's nmt_nfkc rules), which we cannot rebuild without SentencePiece's protobuf. We use a plain,
// readable equivalent instead:
//   1. NFKC                          (what spm_train --normalization_rule_name=nfkc applies while training)
//   2. every whitespace run -> " "   (SentencePiece's remove_extra_whitespaces; also turns tabs/newlines into spaces)
//   3. strip leading/trailing spaces (idem)
// Train with the matching spm flags (scripts/train-tokenizer.ts does) so training and run-time text agree.
import { EOS_ID, PAD_ID, UNK_ID } from "../labels";

export const PAD_TOKEN = "<pad>";
export const EOS_TOKEN = "</s>";
export const UNK_TOKEN = "<unk>";
/** T5's fixed special ids (src/labels.ts). */
export { EOS_ID, PAD_ID, UNK_ID };
/** SentencePiece's word-boundary mark (U+2581), which stands for a space inside pieces. */
export const WORD_BOUNDARY = "\u2581";

export type VocabEntry = [piece: string, score: number];

/** The parts of a Hugging Face tokenizer.json we write (and read back in tests). */
export interface TokenizerJson {
  version: "1.0";
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: unknown;
  pre_tokenizer: unknown;
  post_processor: unknown;
  decoder: unknown;
  model: { type: "Unigram"; unk_id: number; vocab: VocabEntry[]; byte_fallback: boolean };
}

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export interface TokenizerConfigJson {
  tokenizer_class: "T5Tokenizer";
  model_max_length: number;
  pad_token: string;
  eos_token: string;
  unk_token: string;
  extra_ids: number;
  additional_special_tokens: string[];
  clean_up_tokenization_spaces: boolean;
  added_tokens_decoder: Record<string, Omit<AddedTokenJson, "id">>;
}

/**
 * Parse `spm_export_vocab` output: one `piece<TAB>score` per line, in id order. Pieces never contain a tab
 * (SentencePiece rejects whitespace inside pieces), so splitting at the last tab is safe.
 */
export function parseSentencePieceVocab(tsv: string): VocabEntry[] {
  const entries: VocabEntry[] = [];
  const lines = tsv.split("\n");
  lines.forEach((line, index) => {
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line === "" && index === lines.length - 1) return; // final newline
    const tab = line.lastIndexOf("\t");
    const score = tab < 0 ? NaN : Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isFinite(score) || line.slice(tab + 1).trim() === "") {
      throw new Error(`vocab line ${index + 1} is not "piece<TAB>score": ${JSON.stringify(line)}`);
    }
    entries.push([line.slice(0, tab), score]);
  });
  return entries;
}

const SPECIALS: ReadonlyArray<[id: number, content: string]> = [
  [PAD_ID, PAD_TOKEN],
  [EOS_ID, EOS_TOKEN],
  [UNK_ID, UNK_TOKEN],
];

function addedToken(id: number, content: string): AddedTokenJson {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** Check the vocabulary has T5's layout: <pad>, </s>, <unk> at ids 0, 1, 2 and no piece twice. */
export function checkT5Vocab(vocab: readonly VocabEntry[]): void {
  for (const [id, content] of SPECIALS) {
    if (vocab[id]?.[0] !== content) {
      throw new Error(
        `vocab id ${id} must be ${content} (T5 layout <pad>=0, </s>=1, <unk>=2), found ${JSON.stringify(vocab[id]?.[0])}; ` +
          `train with spm_train --pad_id=0 --eos_id=1 --unk_id=2 --bos_id=-1`,
      );
    }
  }
  const seen = new Set<string>();
  for (const [piece] of vocab) {
    if (seen.has(piece)) throw new Error(`vocab piece ${JSON.stringify(piece)} appears twice`);
    seen.add(piece);
  }
}

// ---- sentinels: T5's <extra_id_N> ------------------------------------------------------------------------------

/** Options for the T5 sentinel tokens appended after the SentencePiece pieces. */
export interface SentinelOptions {
  /** How many <extra_id_N> tokens to append (T5: 100; default 0, none). */
  extraIds?: number;
}

/** The text of sentinel N: "<extra_id_N>". */
export function sentinelToken(index: number): string {
  return `<extra_id_${index}>`;
}

/** Matches a sentinel's text, so a trained vocabulary cannot already hold one. */
const SENTINEL_PATTERN = /^<extra_id_\d+>$/;

function checkExtraIds(extraIds: number): number {
  if (!Number.isInteger(extraIds) || extraIds < 0) throw new Error(`extraIds must be an integer >= 0, got ${extraIds}`);
  return extraIds;
}

/**
 * The sentinels as [id, content] in id order, after `pieces` SentencePiece pieces: T5's order, so <extra_id_0> is
 * the last id (pieces + extraIds - 1) and <extra_id_{extraIds-1}> the first (pieces).
 */
export function sentinelEntries(pieces: number, extraIds: number): [id: number, content: string][] {
  checkExtraIds(extraIds);
  return Array.from({ length: extraIds }, (_, i) => [pieces + i, sentinelToken(extraIds - 1 - i)]);
}

// Flags as Hugging Face's T5Tokenizer registers its sentinels: lstrip and rstrip, the spaces around a sentinel
// belong to it (transformers.js encodes "a <extra_id_0> b" the same either way).
function sentinelAddedToken(id: number, content: string): AddedTokenJson {
  return { ...addedToken(id, content), lstrip: true, rstrip: true };
}

/** Build a T5-shaped tokenizer.json (Unigram model) from a SentencePiece vocabulary in id order, sentinels appended. */
export function t5TokenizerJson(vocab: readonly VocabEntry[], options: SentinelOptions = {}): TokenizerJson {
  checkT5Vocab(vocab);
  const sentinels = sentinelEntries(vocab.length, options.extraIds ?? 0);
  const clash = vocab.find(([piece]) => SENTINEL_PATTERN.test(piece));
  if (sentinels.length > 0 && clash) throw new Error(`vocab piece ${JSON.stringify(clash[0])} looks like a sentinel; cannot append <extra_id_N> tokens`);
  const metaspace = { replacement: WORD_BOUNDARY, prepend_scheme: "always", split: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [...SPECIALS.map(([id, content]) => addedToken(id, content)), ...sentinels.map(([id, content]) => sentinelAddedToken(id, content))],
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "NFKC" },
        { type: "Replace", pattern: { Regex: "\\s+" }, content: " " },
        { type: "Strip", strip_left: true, strip_right: true },
      ],
    },
    pre_tokenizer: { type: "Metaspace", ...metaspace },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: EOS_TOKEN, type_id: 0 } }],
      pair: [
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: EOS_TOKEN, type_id: 0 } },
        { Sequence: { id: "B", type_id: 0 } },
        { SpecialToken: { id: EOS_TOKEN, type_id: 0 } },
      ],
      special_tokens: { [EOS_TOKEN]: { id: EOS_TOKEN, ids: [EOS_ID], tokens: [EOS_TOKEN] } },
    },
    decoder: { type: "Metaspace", ...metaspace },
    // As Hugging Face's T5 converter: the sentinels are model pieces too (score 0), so ids and vocabulary agree.
    model: {
      type: "Unigram",
      unk_id: UNK_ID,
      vocab: [...vocab.map(([piece, score]): VocabEntry => [piece, score]), ...sentinels.map(([, content]): VocabEntry => [content, 0])],
      byte_fallback: false,
    },
  };
}

/**
 * The tokenizer_config.json that goes with t5TokenizerJson. With sentinels (`pieces`, the SentencePiece vocabulary's
 * size, places them), it has the fields Hugging Face's T5Tokenizer writes: extra_ids, additional_special_tokens
 * (<extra_id_0> first) and the sentinels in added_tokens_decoder.
 */
export function t5TokenizerConfig(modelMaxLength = 512, options: SentinelOptions & { pieces?: number } = {}): TokenizerConfigJson {
  const extraIds = checkExtraIds(options.extraIds ?? 0);
  if (extraIds > 0 && !(Number.isInteger(options.pieces) && options.pieces! > UNK_ID)) {
    throw new Error(`t5TokenizerConfig: extraIds needs pieces (the SentencePiece vocabulary's size) to place the sentinels, got ${options.pieces}`);
  }
  const decoder: TokenizerConfigJson["added_tokens_decoder"] = {};
  for (const [id, content] of SPECIALS) {
    const { id: _, ...rest } = addedToken(id, content);
    decoder[String(id)] = rest;
  }
  for (const [id, content] of sentinelEntries(options.pieces ?? 0, extraIds)) {
    const { id: _, ...rest } = sentinelAddedToken(id, content);
    decoder[String(id)] = rest;
  }
  return {
    tokenizer_class: "T5Tokenizer",
    model_max_length: modelMaxLength,
    pad_token: PAD_TOKEN,
    eos_token: EOS_TOKEN,
    unk_token: UNK_TOKEN,
    extra_ids: extraIds,
    additional_special_tokens: Array.from({ length: extraIds }, (_, i) => sentinelToken(i)),
    // Off so decode(encode(text)) gives back the text; on, "a ." would come back as "a.".
    clean_up_tokenization_spaces: false,
    added_tokens_decoder: decoder,
  };
}

// ---- training: Debian's spm_train ----------------------------------------------------------------------

/** "!" to "~": always in the vocabulary, so plain English text never needs <unk>. */
export const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join("");

/** The spm_train flags that give T5's layout and match the normalizer written by t5TokenizerJson. */
export function spmTrainFlags(input: string, modelPrefix: string, vocabSize: number): string[] {
  return [
    `--input=${input}`,
    `--model_prefix=${modelPrefix}`,
    `--vocab_size=${vocabSize}`,
    "--model_type=unigram",
    "--pad_id=0",
    "--eos_id=1",
    "--unk_id=2",
    "--bos_id=-1",
    "--pad_piece=<pad>",
    "--eos_piece=</s>",
    "--unk_piece=<unk>",
    "--character_coverage=1.0", // small corpora: keep every character seen
    `--required_chars=${PRINTABLE_ASCII}`, // and every printable ASCII character, seen or not
    "--normalization_rule_name=nfkc", // plain NFKC, reproduced by the tokenizer.json normalizer
    "--remove_extra_whitespaces=true",
    "--split_digits=true", // numbers (order ids, prices) become digit pieces instead of filling the vocabulary
    "--num_threads=1", // deterministic output for a given corpus
  ];
}
