// product_blurb (trained): a product's attributes -> a three- or four-sentence shop blurb stating them all,
// scored by ROUGE. Records: src/lab/corpus/collection/product-blurb.ts.
import { TaskDefinition, TaskRecord } from "../../../data/task";
import { asRecord, requireText } from "../../../data/validate";
import { PRODUCT_FEATURES, ProductAttributes, attributeLines } from "../../corpus/collection/product-blurb";
import { requireOccurs, requireTextList } from "./checks";
import { instructionTemplates } from "./templates";

const TEXT_ATTRIBUTES = ["name", "kind", "brand", "color", "price"] as const;

/** product_blurb: name, kind, brand, color, price and features -> a shop blurb (generation, ROUGE-L). */
export const productBlurbTask: TaskDefinition = {
  name: "product_blurb",
  description:
    "Write a short shop-listing description (three or four sentences) of a product from its attributes: name, kind, " +
    "brand, color, price and two or three features. Every attribute is stated; nothing else is claimed.",
  folder: "product_blurb",
  templates: instructionTemplates("product_blurb", "{blurb}", [
    "Write a short product description from these details.\n\n{attributes}\n\nDescription:",
    "{attributes}\n\nWrite a product blurb for an online shop using the details above.",
    "Product details:\n{attributes}\n\nTurn these details into a few sentences of marketing copy.",
    "Describe the {product} for a shop listing. Details:\n{attributes}\n\nListing text:",
    "Here are the facts about a product:\n{attributes}\nWrite a short description for customers.",
    "{attributes}\n\nProduct description:",
  ], [
    "Create an appealing store description of the {product} from this information:\n{attributes}\nDescription:",
    "Attributes:\n{attributes}\n\nWrite the text a web shop would show next to the product.",
  ]),
  fields(record: TaskRecord): Record<string, string> {
    return {
      attributes: attributeLines(record as unknown as ProductAttributes),
      product: `${String(record.name)} ${String(record.kind)}`,
      blurb: String(record.blurb),
    };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    const blurb = requireText(r, "blurb", where);
    for (const field of TEXT_ATTRIBUTES) requireOccurs(requireText(r, field, where), field, blurb, "blurb", where);
    const known = PRODUCT_FEATURES[String(r.kind)];
    if (!known) throw new Error(`${where}: field "kind" ${JSON.stringify(r.kind)} is not a product kind with features.`);
    requireTextList(r, "features", where).forEach((feature, i) => {
      if (!known.includes(feature)) throw new Error(`${where}: field "features" item ${i} ${JSON.stringify(feature)} is not a feature of a ${r.kind}.`);
      requireOccurs(feature, `features[${i}]`, blurb, "blurb", where);
    });
  },
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 61, max 84 tokens (94 with the shipped tokenizer,
  // which never saw the features' words); blurbs mean 49, p95 57, max 67.
  maxInputTokens: 112,
  maxTargetTokens: 80,
};
