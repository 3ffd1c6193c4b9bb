// The task texts the pretraining corpus must never contain: every chat_summary dialogue and every review_rating
// review the lab ships, in all three splits, so that pretraining sees no evaluation (or training) record verbatim.
import * as fs from "fs";
import * as path from "path";
import { readJsonl } from "../../../data/jsonl";
import { Split, SPLITS } from "../../../data/task";
import { DATASETS_DIR } from "../../paths";
import { dialogueKey } from "./chats";

/** Texts the generators skip: dialogues as dialogueKey()s, reviews as their text. */
export interface ShippedTexts {
  dialogues: ReadonlySet<string>;
  reviews: ReadonlySet<string>;
}

/** Nothing to avoid (for tests, and for building without a datasets/ folder). */
export const NO_SHIPPED_TEXTS: ShippedTexts = { dialogues: new Set(), reviews: new Set() };

/** One string field of every record in <folder>/<split>.jsonl, all splits by default (missing files are skipped). */
export function shippedField(folder: string, field: string, splits: readonly Split[] = SPLITS): string[] {
  const values: string[] = [];
  for (const split of splits) {
    const file = path.join(folder, `${split}.jsonl`);
    if (!fs.existsSync(file)) continue;
    for (const { line, value } of readJsonl(file).lines) {
      const text = (value as Record<string, unknown>)[field];
      if (typeof text !== "string") throw new Error(`${file}:${line}: field "${field}" is not a string.`);
      values.push(text);
    }
  }
  return values;
}

/** The chat_summary dialogues and review_rating reviews under a datasets folder (default: the lab's). */
export function loadShippedTexts(datasets: string = DATASETS_DIR): ShippedTexts {
  return {
    dialogues: new Set(shippedField(path.join(datasets, "chat_summary"), "dialogue").map(dialogueKey)),
    reviews: new Set(shippedField(path.join(datasets, "review_rating"), "review")),
  };
}
