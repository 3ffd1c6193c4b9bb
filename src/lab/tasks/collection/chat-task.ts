// A chat task of the collection from what sets it apart (its templates, its own fields and their checks, its
// metric); what every chat task shares - the id, the dialogue field and its check, the folder - is filled in here.
import { TaskDefinition, TaskRecord } from "../../../data/task";
import { asRecord, requireText } from "../../../data/validate";
import { DialogueLine, requireDialogue } from "./chat-dialogue";

/** A chat task's own parts: the TaskDefinition without folder, fields and validate, plus its fields and checks. */
export interface ChatTaskSpec extends Omit<TaskDefinition, "folder" | "fields" | "validate"> {
  /** The strings templates use besides {dialogue}. */
  fields(record: TaskRecord): Record<string, string>;
  /** Checks of the record's own fields, given the dialogue's lines (the id and the dialogue are checked already). */
  check(record: Record<string, unknown>, lines: readonly DialogueLine[], where: string): void;
}

/** The task: folder = name, fields = {dialogue} + the spec's, validate = id + dialogue + the spec's check. */
export function chatTask(spec: ChatTaskSpec): TaskDefinition {
  const { fields, check, ...definition } = spec;
  return {
    ...definition,
    folder: spec.name,
    fields: (record: TaskRecord) => ({ dialogue: String(record.dialogue), ...fields(record) }),
    validate(record: unknown, where: string): asserts record is TaskRecord {
      const r = asRecord(record, where);
      requireText(r, "id", where);
      check(r, requireDialogue(r, where), where);
    },
  };
}
