// The pretraining corpus of the lab's world (issue 14): unlabeled text for T5-style span-corruption pretraining,
// before any instruction tuning. Six kinds of text, each a seeded generator with its own version; a document's kind
// is drawn by weight. Each kind has its own random stream and so does the choice of kinds, so the first N documents
// of a seed are the same whatever is generated after them.
import { Random } from "../../../random";
import { deriveSeed } from "../../../data/mixtures";
import { DEFAULT_DATA_SEED } from "../build";
import { CHAT_DOCUMENT_VERSION, chatDocument } from "./chats";
import { EMAIL_DOCUMENT_VERSION, emailDocument } from "./emails";
import { FAQ_PAGE_VERSION, faqDocument } from "./faqs";
import { NARRATIVE_VERSION, narrativeDocument } from "./narratives";
import { PRODUCT_PAGE_VERSION, productPageDocument } from "./product-pages";
import { REVIEW_DOCUMENT_VERSION, reviewDocument } from "./reviews";
import { NO_SHIPPED_TEXTS, ShippedTexts } from "./shipped-texts";

/** Version of the mixture (the kinds, their weights and seeds); each kind's own version is in PRETRAINING_KINDS. */
export const PRETRAINING_CORPUS_VERSION = "1";

/** The seed the shipped sample and the card use (the datasets' seed). */
export const DEFAULT_PRETRAINING_SEED = DEFAULT_DATA_SEED;

/** The documents of a full corpus when no size is asked for. */
export const DEFAULT_PRETRAINING_DOCUMENTS = 20_000;

/** The names of the text kinds. */
export type PretrainingKindName = "chat" | "email" | "narrative" | "review" | "product_page" | "faq";

/** One kind of text: what it is, its generator and version, and its weight in the mixture. */
export interface PretrainingKind {
  name: PretrainingKindName;
  description: string;
  version: string;
  weight: number;
  /** The file of its generator (for the data card). */
  source: string;
  generate(random: Random, shipped: ShippedTexts): string;
}

/** The kinds in the order the card lists them. */
export const PRETRAINING_KINDS: readonly PretrainingKind[] = [
  {
    name: "chat",
    description: "customer-service chats (chat_summary's generator, its own seed stream, no summary), DialogSum tags or role and name labels",
    version: CHAT_DOCUMENT_VERSION,
    weight: 3,
    source: "src/lab/corpus/pretraining/chats.ts",
    generate: (random, shipped) => chatDocument(random, shipped.dialogues),
  },
  {
    name: "email",
    description: "order, shipping, refund, account and subscription emails from shops and services, and customers' emails to support",
    version: EMAIL_DOCUMENT_VERSION,
    weight: 2.5,
    source: "src/lab/corpus/pretraining/emails.ts",
    generate: (random) => emailDocument(random),
  },
  {
    name: "narrative",
    description: "short everyday stories, first or third person: orders, moves, dinners, trips, gifts, repairs, a support agent's day",
    version: NARRATIVE_VERSION,
    weight: 2,
    source: "src/lab/corpus/pretraining/narratives.ts",
    generate: (random) => narrativeDocument(random),
  },
  {
    name: "review",
    description: "product reviews (review_rating's generator) with title, stars, reviewer and date, alone or on a reviewer's page",
    version: REVIEW_DOCUMENT_VERSION,
    weight: 1.25,
    source: "src/lab/corpus/pretraining/reviews.ts",
    generate: (random, shipped) => reviewDocument(random, shipped.reviews),
  },
  {
    name: "product_page",
    description: "shop product pages: price or sale, features, specifications, warranty, shipping, returns, questions and answers",
    version: PRODUCT_PAGE_VERSION,
    weight: 0.75,
    source: "src/lab/corpus/pretraining/product-pages.ts",
    generate: (random) => productPageDocument(random),
  },
  {
    name: "faq",
    description: "help-center pages of shops and services: returns, payments, shipping, promo codes, warranty, accounts, plans",
    version: FAQ_PAGE_VERSION,
    weight: 0.5,
    source: "src/lab/corpus/pretraining/faqs.ts",
    generate: (random) => faqDocument(random),
  },
];

/** One document of the corpus. */
export interface PretrainingDocument {
  kind: PretrainingKindName;
  text: string;
}

/** A document must be non-empty, trimmed and free of blank lines (a blank line separates documents in the file). */
export function checkDocument(document: PretrainingDocument): void {
  const { kind, text } = document;
  if (text.trim() === "") throw new Error(`pretraining ${kind}: empty document.`);
  if (text !== text.trim()) throw new Error(`pretraining ${kind}: document has leading or trailing whitespace: ${JSON.stringify(text.slice(0, 80))}`);
  if (/\n\s*\n/.test(text)) throw new Error(`pretraining ${kind}: document holds a blank line: ${JSON.stringify(text.slice(0, 80))}`);
}

/** Where the documents come from: the seed and the shipped task texts to avoid. */
export interface PretrainingSource {
  seed?: number;
  shipped?: ShippedTexts;
}

/** The corpus as an endless stream of documents, in order; the same seed gives the same stream. */
export function* pretrainingDocuments(source: PretrainingSource = {}): Generator<PretrainingDocument> {
  const { seed = DEFAULT_PRETRAINING_SEED, shipped = NO_SHIPPED_TEXTS } = source;
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`pretraining corpus: the seed must be an integer >= 0, got ${seed}.`);
  const choose = new Random(deriveSeed(seed, "pretraining", "kinds", PRETRAINING_CORPUS_VERSION));
  const streams = PRETRAINING_KINDS.map((kind) => new Random(deriveSeed(seed, "pretraining", kind.name)));
  const weights = PRETRAINING_KINDS.map((kind) => kind.weight);
  for (;;) {
    const index = choose.weightedIndex(weights);
    const kind = PRETRAINING_KINDS[index];
    const document: PretrainingDocument = { kind: kind.name, text: kind.generate(streams[index], shipped) };
    checkDocument(document);
    yield document;
  }
}

/** The first `count` documents of the stream. */
export function generatePretrainingDocuments(count: number, source: PretrainingSource = {}): PretrainingDocument[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`pretraining corpus: the document count must be an integer >= 0, got ${count}.`);
  const documents: PretrainingDocument[] = [];
  if (count === 0) return documents;
  for (const document of pretrainingDocuments(source)) {
    documents.push(document);
    if (documents.length === count) break;
  }
  return documents;
}
