// The instruction collection of the miniature FLAN-T5 (issue 14): a FLAN-style set of tasks over the lab's world,
// each with eight or more templates (two held out), to instruction-tune a small span-corruption-pretrained T5
// before it meets chat_summary, the notebooks' new task, which stays out of the collection. Separate from
// REGISTERED_TASKS (the notebooks' tasks and roles): the four base tasks come in unchanged, and the rest are new.
//
//   trained   review_rating, sentiment, entity_recognition, question_answering (the shipped base tasks);
//             chat_order_number, chat_product, chat_amount, chat_issue_type, chat_resolved, chat_outcome,
//             chat_customer, chat_next_turn (chats from chat_summary's generator, on their own seeds);
//             review_title, review_writing, product_blurb, paraphrase, question_generation
//   held out  code_translation (as in the notebooks), chat_order_and_amount and chat_title (each recombines
//             trained skills, so "does it do an unseen task?" can go either way)
//
// Datasets are generated on demand by src/lab/corpus/build.ts (not committed), default build/collection/<task>/.
// Token budgets in the new task files were measured on the 3,000 training records of a default build x every
// template, with a 4,096-piece Unigram trained (trainProjectTokenizer, the project's spm_train flags) on the
// collection's training text, and set about 8% above the longest seen. The shipped 3,755-piece tokenizer gives
// the same lengths within 5% on average (product_blurb inputs 16% longer: it never saw the features' words).
// Few-shot prompts are longer than any budget: two chat exemplars and the question come to 640-770 tokens on
// average and up to 1,000 (2-shot inputs of the other tasks: 115-390, up to 710).
import * as fs from "fs";
import * as path from "path";
import { Random } from "../../random";
import { Split, TaskDefinition, TaskRecord, Template, TextExample } from "../../data/task";
import { renderFewShot } from "../../data/templates";
import { BuiltTask, DEFAULT_DATA_SEED, FULL_SIZES, SplitSizes, buildDatasets } from "../corpus/build";
import { PACKAGE_ROOT } from "../paths";
import { DEFAULT_DATASETS_DIR, RegisteredTask, TaskGenerator, getRegisteredTask, loadRecords } from "./registry";
import { REVIEW_RATING_GENERATOR_VERSION, generateReviewRatingRecords } from "../corpus/review-rating";
import { QUESTION_ANSWERING_GENERATOR_VERSION, generateQuestionAnsweringRecords } from "../corpus/question-answering";
import {
  CHAT_FACTS_GENERATOR_VERSION,
  generateChatAmountRecords,
  generateChatOrderAndAmountRecords,
  generateChatOrderNumberRecords,
  generateChatProductRecords,
} from "../corpus/collection/chat-facts";
import {
  CHAT_LABELS_GENERATOR_VERSION,
  generateChatCustomerRecords,
  generateChatIssueTypeRecords,
  generateChatOutcomeRecords,
  generateChatResolvedRecords,
} from "../corpus/collection/chat-labels";
import { CHAT_NEXT_TURN_GENERATOR_VERSION, generateChatNextTurnRecords } from "../corpus/collection/chat-next-turn";
import { CHAT_TITLE_GENERATOR_VERSION, generateChatTitleRecords } from "../corpus/collection/chat-title";
import { PARAPHRASE_GENERATOR_VERSION, generateParaphraseRecords } from "../corpus/collection/paraphrase";
import { PRODUCT_BLURB_GENERATOR_VERSION, generateProductBlurbRecords } from "../corpus/collection/product-blurb";
import { REVIEW_TITLE_GENERATOR_VERSION, generateReviewTitleRecords } from "../corpus/collection/review-title";
import { chatAmountTask, chatOrderNumberTask, chatProductTask } from "./collection/chat-facts";
import { chatCustomerTask, chatIssueTypeTask, chatOutcomeTask, chatResolvedTask } from "./collection/chat-labels";
import { chatNextTurnTask } from "./collection/chat-next-turn";
import { chatOrderAndAmountTask } from "./collection/chat-order-and-amount";
import { chatTitleTask } from "./collection/chat-title";
import { paraphraseTask } from "./collection/paraphrase";
import { productBlurbTask } from "./collection/product-blurb";
import { questionGenerationTask } from "./collection/question-generation";
import { reviewTitleTask } from "./collection/review-title";
import { reviewWritingTask } from "./collection/review-writing";

/** What a collection task is for: instruction tuning, or held out from it to test unseen tasks. */
export type CollectionRole = "train" | "held_out";

/**
 * Another task's records that a task's records must not repeat: the values of one field in some of its splits
 * (a review written for review_writing must not be one review_rating is tested on).
 */
export interface Avoidance {
  task: string;
  field: string;
  splits: readonly Split[];
}

/** A task of the collection with its seeded generator and its role. */
export interface CollectionTask {
  task: TaskDefinition;
  generator: TaskGenerator;
  role: CollectionRole;
  avoid?: Avoidance;
}

const EVALUATION_SPLITS: readonly Split[] = ["validation", "test"];
/** chat_summary is the new task: no chat of the collection may be one of its chats, in any split. */
const CHAT_SUMMARY_DIALOGUES: Avoidance = { task: "chat_summary", field: "dialogue", splits: ["train", "validation", "test"] };

function shipped(name: string, role: CollectionRole): CollectionTask {
  const { task, generator } = getRegisteredTask(name);
  return { task, generator, role };
}

function generated(
  task: TaskDefinition,
  role: CollectionRole,
  generate: TaskGenerator["generate"],
  version: string,
  avoid?: Avoidance,
): CollectionTask {
  return { task, role, generator: { name: generate.name, version, generate }, ...(avoid ? { avoid } : {}) };
}

/** The collection, trained tasks first: the base tasks, the chat tasks, the other writing tasks; then held out. */
export const INSTRUCTION_COLLECTION: readonly CollectionTask[] = [
  shipped("review_rating", "train"),
  shipped("sentiment", "train"),
  shipped("entity_recognition", "train"),
  shipped("question_answering", "train"),
  generated(chatOrderNumberTask, "train", generateChatOrderNumberRecords, CHAT_FACTS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatProductTask, "train", generateChatProductRecords, CHAT_FACTS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatAmountTask, "train", generateChatAmountRecords, CHAT_FACTS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatIssueTypeTask, "train", generateChatIssueTypeRecords, CHAT_LABELS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatResolvedTask, "train", generateChatResolvedRecords, CHAT_LABELS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatOutcomeTask, "train", generateChatOutcomeRecords, CHAT_LABELS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatCustomerTask, "train", generateChatCustomerRecords, CHAT_LABELS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatNextTurnTask, "train", generateChatNextTurnRecords, CHAT_NEXT_TURN_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(reviewTitleTask, "train", generateReviewTitleRecords, REVIEW_TITLE_GENERATOR_VERSION, { task: "review_rating", field: "review", splits: EVALUATION_SPLITS }),
  generated(reviewWritingTask, "train", generateReviewRatingRecords, REVIEW_RATING_GENERATOR_VERSION, { task: "review_rating", field: "review", splits: EVALUATION_SPLITS }),
  generated(productBlurbTask, "train", generateProductBlurbRecords, PRODUCT_BLURB_GENERATOR_VERSION),
  generated(paraphraseTask, "train", generateParaphraseRecords, PARAPHRASE_GENERATOR_VERSION),
  generated(questionGenerationTask, "train", generateQuestionAnsweringRecords, QUESTION_ANSWERING_GENERATOR_VERSION, {
    task: "question_answering",
    field: "context",
    splits: EVALUATION_SPLITS,
  }),
  shipped("code_translation", "held_out"),
  generated(chatOrderAndAmountTask, "held_out", generateChatOrderAndAmountRecords, CHAT_FACTS_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
  generated(chatTitleTask, "held_out", generateChatTitleRecords, CHAT_TITLE_GENERATOR_VERSION, CHAT_SUMMARY_DIALOGUES),
];

/** Every collection task's name, in collection order. */
export const COLLECTION_TASK_NAMES: readonly string[] = INSTRUCTION_COLLECTION.map((c) => c.task.name);

/** The collection's tasks with one role. */
export function collectionTasks(role: CollectionRole): CollectionTask[] {
  return INSTRUCTION_COLLECTION.filter((c) => c.role === role);
}

/** A collection task by name ("chat_order_number"; "chat-order-number" is accepted too). */
export function getCollectionTask(name: string): CollectionTask {
  const wanted = name.trim().replace(/-/g, "_");
  const found = INSTRUCTION_COLLECTION.find((c) => c.task.name === wanted);
  if (!found) throw new Error(`unknown collection task "${name}". Collection tasks: ${COLLECTION_TASK_NAMES.join(", ")}.`);
  return found;
}

/**
 * Split sizes of a trained task: the shipped sizes, so the four base tasks' splits are the shipped ones (same seed,
 * same task name, same bytes). 17 tasks x 3,000 records x 6 training templates is about 300,000 distinct examples:
 * enough for a few-million-parameter model to see every record a few times in 20-30k steps of 32 without
 * learning any one task's records by heart, and a build of a few seconds.
 */
export const COLLECTION_SIZES: SplitSizes = FULL_SIZES;
/** Split sizes of a held-out task: a small train split (few-shot exemplars only, never trained on), full test. */
export const HELD_OUT_SIZES: SplitSizes = { train: 300, validation: 200, test: 300 };

/** Where the collection is built by default: <package root>/build/collection. */
export const DEFAULT_COLLECTION_DIR = path.join(PACKAGE_ROOT, "build", "collection");

/** How many times a filtered generator asks for more records before it returns what it has. */
const MAX_REFILLS = 40;

/** The generator without the records whose `field` value is in `avoided` (its name says what it skips). */
export function skippingValues(generator: TaskGenerator, field: string, avoided: ReadonlySet<string>, what: string): TaskGenerator {
  return {
    name: `${generator.name} (skipping ${what})`,
    version: generator.version,
    generate(random: Random, count: number): Record<string, unknown>[] {
      const kept: Record<string, unknown>[] = [];
      for (let round = 0; round < MAX_REFILLS && kept.length < count; round++) {
        for (const record of generator.generate(random, count - kept.length)) if (!avoided.has(String(record[field]))) kept.push(record);
      }
      return kept;
    },
  };
}

/** The avoided values: from this build's records of the task when it built them, else from the datasets folder. */
function avoidedValues(avoid: Avoidance, built: ReadonlyMap<string, BuiltTask>, datasetsDir: string): Set<string> {
  const records: TaskRecord[] = avoid.splits.flatMap((split) => built.get(avoid.task)?.splits[split] ?? loadRecords(avoid.task, split, { datasetsDir }).records);
  return new Set(records.map((r) => String(r[avoid.field])));
}

/** Options of buildInstructionCollection; every one has a default. */
export interface CollectionBuildOptions {
  /** Output folder (default build/collection). */
  out?: string;
  seed?: number;
  /** Sizes of trained tasks (default COLLECTION_SIZES) and of held-out tasks (default HELD_OUT_SIZES). */
  sizes?: SplitSizes;
  heldOutSizes?: SplitSizes;
  /** Where the avoided records of tasks outside the build are read (chat_summary's chats): default datasets/. */
  datasetsDir?: string;
  /** Task names to build (default: the whole collection, in order). */
  tasks?: readonly string[];
  log?: (message: string) => void;
}

/** What buildInstructionCollection built, in collection order. */
export interface CollectionBuild {
  out: string;
  tasks: BuiltTask[];
  seconds: number;
}

/**
 * Build the collection's datasets with src/lab/corpus/build.ts, one task at a time so that a task that avoids
 * another's records finds them built: <out>/<task>/{train,validation,test}.jsonl and meta.json (where a trained
 * task's role reads "base", the build's name for the mixture a model is first trained on), and <out>/collection.json
 * with the collection's own roles.
 */
export async function buildInstructionCollection(options: CollectionBuildOptions = {}): Promise<CollectionBuild> {
  const { out = DEFAULT_COLLECTION_DIR, seed = DEFAULT_DATA_SEED, datasetsDir = DEFAULT_DATASETS_DIR, log = () => {} } = options;
  const selected = options.tasks ? options.tasks.map(getCollectionTask) : INSTRUCTION_COLLECTION;
  const command = `buildInstructionCollection --seed ${seed}`;
  const started = Date.now();
  const built = new Map<string, BuiltTask>();
  const avoided = new Map<string, Set<string>>();
  const avoidedFor = (avoid: Avoidance): Set<string> => {
    const key = `${avoid.task}/${avoid.field}/${avoid.splits.join(",")}`;
    if (!avoided.has(key)) avoided.set(key, avoidedValues(avoid, built, datasetsDir));
    return avoided.get(key)!;
  };
  for (const entry of selected) {
    const generator = entry.avoid
      ? skippingValues(entry.generator, entry.avoid.field, avoidedFor(entry.avoid), `${entry.avoid.task} ${entry.avoid.field}s`)
      : entry.generator;
    const registered: RegisteredTask = { task: entry.task, generator, role: entry.role === "train" ? "base" : "held_out" };
    const sizes = entry.role === "train" ? options.sizes ?? COLLECTION_SIZES : options.heldOutSizes ?? HELD_OUT_SIZES;
    const summary = await buildDatasets({ out, seed, sizes, tasks: [registered], tokenizer: false, card: false, command, log });
    built.set(entry.task.name, summary.tasks[0]);
  }
  const tasks = selected.map((entry) => built.get(entry.task.name)!);
  fs.writeFileSync(path.join(out, "collection.json"), JSON.stringify(collectionIndex(selected, tasks, seed, command), null, 2) + "\n");
  return { out, tasks, seconds: (Date.now() - started) / 1000 };
}

/** The collection.json summary: each task's role, metric, template counts and split sizes. */
function collectionIndex(selected: readonly CollectionTask[], tasks: readonly BuiltTask[], seed: number, command: string): object {
  return {
    seed,
    command,
    tasks: selected.map((entry, i) => ({
      name: entry.task.name,
      role: entry.role,
      metric: entry.task.metric,
      primaryMetric: entry.task.primaryMetric,
      templates: entry.task.templates.length,
      heldOutTemplates: entry.task.templates.filter((t) => t.heldOut).length,
      records: { train: tasks[i].splits.train.length, validation: tasks[i].splits.validation.length, test: tasks[i].splits.test.length },
    })),
  };
}

/**
 * A few-shot example (FLAN's format, renderFewShot): `shots` exemplars drawn with `random` from `pool` (usually the
 * task's train split), never the record itself, solved with the same template, then the record's question.
 */
export function fewShotExample(task: TaskDefinition, record: TaskRecord, pool: readonly TaskRecord[], template: Template, shots: number, random: Random): TextExample {
  const candidates = pool.filter((r) => r.id !== record.id);
  if (candidates.length < shots) throw new Error(`${task.name}: ${shots} exemplars wanted, the pool has ${candidates.length} other records.`);
  const picked = new Set<number>();
  while (picked.size < shots) picked.add(random.int(0, candidates.length - 1));
  return renderFewShot(task, record, [...picked].map((i) => candidates[i]), template);
}
