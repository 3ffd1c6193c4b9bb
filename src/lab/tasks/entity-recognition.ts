// entity_recognition: a sentence -> its named entities with types, as "Maria Lopez [person]; Berlin [location]".
import { TaskDefinition, TaskRecord } from "../../data/task";
import { ENTITY_TYPES, Entity, formatEntities, parseEntities } from "../corpus/entity-recognition";
import { asRecord, requireText } from "../../data/validate";

export { ENTITY_TYPES, formatEntities, parseEntities } from "../corpus/entity-recognition";
export type { Entity, EntityType } from "../corpus/entity-recognition";

/** The record's entities, checked: known types, texts that occur in the sentence in the listed order. */
function checkEntities(value: unknown, sentence: string, where: string): Entity[] {
  if (!Array.isArray(value)) throw new Error(`${where}: field "entities" must be an array of {text, type}, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  let from = 0;
  return value.map((entity, i) => {
    const e = entity as Partial<Entity> | null;
    if (e === null || typeof e !== "object" || typeof e.text !== "string" || e.text.trim() === "") {
      throw new Error(`${where}: field "entities" item ${i} must be {text, type} with a non-empty text, got ${JSON.stringify(entity)?.slice(0, 60)}.`);
    }
    if (!(ENTITY_TYPES as readonly unknown[]).includes(e.type)) {
      throw new Error(`${where}: field "entities" item ${i} has type ${JSON.stringify(e.type)}; types are ${ENTITY_TYPES.join(", ")}.`);
    }
    if (/[;[\]]/.test(e.text)) throw new Error(`${where}: field "entities" item ${i} text ${JSON.stringify(e.text)} contains ";", "[" or "]", which the target format cannot hold.`);
    const at = sentence.indexOf(e.text, from);
    if (at < 0) throw new Error(`${where}: field "entities" item ${i} ${JSON.stringify(e.text)} does not occur in the sentence (after the previous entity).`);
    from = at + e.text.length;
    return { text: e.text, type: e.type as Entity["type"] };
  });
}

export const entityRecognitionTask: TaskDefinition = {
  name: "entity_recognition",
  description:
    "List the named entities of a sentence with their types (person, organization, location, date, product) in order of " +
    'appearance, as "Maria Lopez [person]; Acme Corp [organization]", or "none". Dates are explicit calendar dates; common phrases ("a friend", "last week") are not entities.',
  folder: "entity_recognition",
  templates: [
    {
      id: "entity_recognition_1",
      input: 'List the named entities in the following sentence, each with its type (person, organization, location, date, product). Write "none" if there are none.\n\nSentence: {sentence}',
      target: "{target}",
    },
    { id: "entity_recognition_2", input: "{sentence}\n\nWhich people, organizations, locations, dates and products are mentioned in the sentence above?", target: "{target}" },
    { id: "entity_recognition_3", input: "Extract all entities from this text and label each one with its type.\n\nText: {sentence}\nEntities:", target: "{target}" },
    { id: "entity_recognition_4", input: "Sentence: {sentence}\nFind the names of people, companies, places, dates and products in the sentence.", target: "{target}" },
    { id: "entity_recognition_5", input: "Named entity recognition:\n{sentence}", target: "{target}" },
    { id: "entity_recognition_6", input: 'Tag every entity in "{sentence}" as person, organization, location, date, or product.', target: "{target}" },
    {
      id: "entity_recognition_7",
      input: "Read the sentence and write down every person, company, place, date and product it names, with its category.\n\n{sentence}",
      target: "{target}",
      heldOut: true,
    },
    { id: "entity_recognition_8", input: "{sentence}\nWhat are the entities in this sentence, and what type is each one?", target: "{target}", heldOut: true },
  ],
  fields(record: TaskRecord): Record<string, string> {
    return { sentence: String(record.sentence), target: String(record.target) };
  },
  validate(record: unknown, where: string): asserts record is TaskRecord {
    const r = asRecord(record, where);
    requireText(r, "id", where);
    const sentence = requireText(r, "sentence", where);
    const entities = checkEntities(r.entities, sentence, where);
    const target = requireText(r, "target", where);
    const expected = formatEntities(entities);
    if (target !== expected) throw new Error(`${where}: field "target" is ${JSON.stringify(target)} but the entities give ${JSON.stringify(expected)}.`);
  },
  metric: "entities",
  primaryMetric: "f1",
  // Measured on 4,000 records x 8 templates with a 2,500-piece Unigram trained on these tasks (an overestimate for
  // a 4-8k vocabulary): inputs mean 49, max 89 tokens; targets (up to 4 entities with tags) mean 13, max 34.
  maxInputTokens: 112,
  maxTargetTokens: 48,
};
