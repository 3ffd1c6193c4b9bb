// The pretraining corpus's data card (datasets/pretraining/README.md): what it is for, its kinds and versions, the
// documents, words and characters of each kind, and how much of the chat summaries' vocabulary it holds. Every number
// is measured on documents generated for it, never typed in.
import { PRETRAINING_CORPUS_VERSION, PRETRAINING_KINDS, PretrainingDocument, PretrainingKindName } from "./index";

/** Counts of some documents. */
export interface TextStats {
  documents: number;
  /** Whitespace-separated words. */
  words: number;
  characters: number;
}

/** Counts in all and per kind. */
export interface CorpusStats extends TextStats {
  kinds: Record<PretrainingKindName, TextStats>;
}

/** Whitespace-separated words of a text. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => w !== "").length;
}

/** The counts of some documents, in all and per kind. */
export function corpusStats(documents: readonly PretrainingDocument[]): CorpusStats {
  const empty = (): TextStats => ({ documents: 0, words: 0, characters: 0 });
  const kinds = Object.fromEntries(PRETRAINING_KINDS.map((k) => [k.name, empty()])) as Record<PretrainingKindName, TextStats>;
  const total = empty();
  for (const { kind, text } of documents) {
    for (const stats of [total, kinds[kind]]) {
      stats.documents++;
      stats.words += wordCount(text);
      stats.characters += text.length;
    }
  }
  return { ...total, kinds };
}

/** The vocabulary words of a text: lowercase letter runs, inner hyphens kept ("e-reader"); digits and tags dropped. */
export function vocabularyWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? [];
}

/** How much of a reference text's vocabulary a corpus holds. */
export interface VocabularyCoverage {
  /** Distinct words of the reference. */
  referenceWords: number;
  /** Of those, the ones the corpus has. */
  coveredWords: number;
  /** coveredWords / referenceWords. */
  share: number;
  /** The share of the reference's running words (with repeats) that the corpus has. */
  tokenShare: number;
  /** Reference words the corpus lacks, most frequent first. */
  missing: string[];
}

/** The share of the reference texts' distinct words that occur somewhere in the corpus texts. */
export function vocabularyCoverage(reference: readonly string[], corpus: readonly string[]): VocabularyCoverage {
  const counts = new Map<string, number>();
  for (const text of reference) for (const word of vocabularyWords(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const seen = new Set<string>();
  for (const text of corpus) for (const word of vocabularyWords(text)) seen.add(word);
  const missing = [...counts].filter(([word]) => !seen.has(word)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const running = [...counts.values()].reduce((a, b) => a + b, 0);
  const runningMissing = missing.reduce((a, [, n]) => a + n, 0);
  return {
    referenceWords: counts.size,
    coveredWords: counts.size - missing.length,
    share: counts.size === 0 ? 1 : (counts.size - missing.length) / counts.size,
    tokenShare: running === 0 ? 1 : (running - runningMissing) / running,
    missing: missing.map(([word]) => word),
  };
}

/** What the card reports. */
export interface PretrainingCardInput {
  seed: number;
  /** The command that wrote the sample and the card. */
  command: string;
  /** The committed sample: its file name and its documents. */
  sample: { file: string; documents: readonly PretrainingDocument[] };
  /** The corpus at the default size (generated for the card, not written). */
  full: CorpusStats;
  /** Vocabulary coverage of the chat summaries by the first `documents` documents. */
  coverage: VocabularyCoverage & { documents: number; summaries: number };
  /** How many shipped dialogues and reviews the generators avoid. */
  avoided: { dialogues: number; reviews: number };
}

const int = (x: number): string => x.toLocaleString("en-US");
const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const rule = header.map((_, i) => (right.includes(i) ? "---:" : "---"));
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}

function statsRows(stats: CorpusStats): string[][] {
  const row = (name: string, s: TextStats) => [name, int(s.documents), int(s.words), int(s.characters), s.documents === 0 ? "0" : (s.words / s.documents).toFixed(0)];
  return [...PRETRAINING_KINDS.map((k) => row(`\`${k.name}\``, stats.kinds[k.name])), row("**all**", stats)];
}

/** A text in a fenced block whose fence cannot clash with backticks inside it. */
function fenced(text: string): string {
  let fence = "```";
  while (text.includes(fence)) fence += "`";
  return `${fence}text\n${text}\n${fence}`;
}

/** The card as Markdown. */
export function renderPretrainingCard(input: PretrainingCardInput): string {
  const { seed, command, sample, full, coverage, avoided } = input;
  const totalWeight = PRETRAINING_KINDS.reduce((a, k) => a + k.weight, 0);
  const sampleStats = corpusStats(sample.documents);
  const parts: string[] = [];
  parts.push(`# flanlab pretraining corpus

Unlabeled text of the lab's world (shops, orders, support chats, reviews, everyday life) for pretraining a small
T5 with span corruption before instruction tuning (issue 14): a miniature of T5's C4 pretraining, so that the base
model learns the language the tasks are written in. Every document comes from a seeded generator; the same seed
gives the same text. Corpus version ${PRETRAINING_CORPUS_VERSION}, seed ${seed}.

**Do not edit by hand**: \`${sample.file}\` and this card are written by

\`\`\`bash
${command}
\`\`\`

and every number below was measured on generated documents.

- File format: UTF-8 text, documents separated by one blank line (no document holds one), in stream order.
- What is in this folder: \`${sample.file}\`, the first ${int(sample.documents.length)} documents of the seed's stream
  (${int(sampleStats.words)} words, ${int(sampleStats.characters)} characters). A corpus of any size is written on demand:
  \`writePretrainingCorpus(file, { documents })\` or \`{ maxTokens, countTokens }\` in
  \`src/lab/corpus/pretraining/write.ts\`, or \`node --import tsx scripts/make-pretraining-corpus.ts --file FILE --documents N\`
  (\`--tokens N\` counts with the project tokenizer). The first N documents are the same whatever size is asked for.
- Disjoint from the tasks: no chat of \`chat_summary\` (${int(avoided.dialogues)} dialogues, all splits; compared
  without speaker labels) and no review text of \`review_rating\` (${int(avoided.reviews)} reviews, all splits) is
  ever generated: the chats and reviews come from their generators on the corpus's own seed streams, and any
  that equals a shipped one is drawn again. No summary, rating label of a task record or instruction template is in
  the corpus; reviews show their stars, as review pages do.

## Kinds

`);
  parts.push(
    table(
      ["kind", "what it is", "version", "share", "generator"],
      PRETRAINING_KINDS.map((k) => [`\`${k.name}\``, k.description, k.version, percent(k.weight / totalWeight), `\`${k.source}\``]),
      [2, 3],
    ),
  );
  parts.push(`\n\n## Size\n\nAt the default size (${int(full.documents)} documents):\n\n`);
  parts.push(table(["kind", "documents", "words", "characters", "words per document"], statsRows(full), [1, 2, 3, 4]));
  parts.push(`\n\nThe committed sample (${int(sample.documents.length)} documents):\n\n`);
  parts.push(table(["kind", "documents", "words", "characters", "words per document"], statsRows(sampleStats), [1, 2, 3, 4]));
  parts.push(`

## Vocabulary of the chat summaries

Copying names, numbers and amounts from a chat into a summary needs those words before fine-tuning. Of the
${int(coverage.referenceWords)} distinct words of \`chat_summary\`'s ${int(coverage.summaries)} training summaries
(lowercase letter runs, so \`#Person2#\` counts as \`person\` and digits not at all), the first ${int(coverage.documents)} documents hold
${int(coverage.coveredWords)}: **${percent(coverage.share)}** of the distinct words, ${(100 * coverage.tokenShare).toFixed(2)}% of the running
words.${coverage.missing.length > 0 ? ` Missing: ${coverage.missing.slice(0, 40).map((w) => `\`${w}\``).join(", ")}${coverage.missing.length > 40 ? ", ..." : ""}.` : ""}

## One document of each kind

`);
  for (const kind of PRETRAINING_KINDS) {
    const example = sample.documents.find((d) => d.kind === kind.name);
    if (example) parts.push(`\`${kind.name}\`:\n\n${fenced(example.text)}\n\n`);
  }
  return parts.join("").trimEnd() + "\n";
}
