// chat_title (held out): a customer-service chat -> a one-line title naming its issue and outcome, scored by
// ROUGE. Nothing trains it: it recombines what chat_issue_type and chat_outcome teach (which issue, which
// outcome) with the headline writing of review_title. Records: src/lab/corpus/collection/chat-title.ts.
import { TaskDefinition } from "../../../data/task";
import { ISSUE_TYPES, OUTCOMES } from "../../corpus/chat-summary";
import { chatTask } from "./chat-task";
import { requireLine, requireOneOf } from "./checks";
import { instructionTemplates } from "./templates";

/** The longest title the generator writes, in words, with room to spare. */
const MAX_TITLE_WORDS = 16;

/** chat_title: a chat -> a one-line title (generation, ROUGE-L); held out from training. */
export const chatTitleTask: TaskDefinition = chatTask({
  name: "chat_title",
  description:
    "Write a one-line title for a customer-service chat, as a ticket system lists it: the issue, sometimes the order " +
    "or product, and how it ended (\"Double charge on order 9699129: full refund issued\").",
  templates: instructionTemplates("chat_title", "{title}", [
    "{dialogue}\n\nWrite a one-line title for this chat.",
    "Give this customer service conversation a short title.\n\n{dialogue}\n\nTitle:",
    "Chat:\n{dialogue}\n\nWrite a headline that says what the problem was and how it ended.",
    "A support ticket needs a title. Here is the chat:\n{dialogue}\n\nTicket title:",
    "{dialogue}\n\nWhat would be a good subject line for this conversation?",
    "Read the chat and title it in a few words.\n\n{dialogue}\n\nTitle:",
  ], [
    "Here is a support chat.\n{dialogue}\nSum it up as a title.",
    "{dialogue}\n\nName this chat in one line, the way a help desk would.",
  ]),
  fields: (record) => ({ title: String(record.title) }),
  check(record, _lines, where) {
    requireLine(record, "title", MAX_TITLE_WORDS, where);
    requireOneOf(record, "issue_type", ISSUE_TYPES, where);
    requireOneOf(record, "outcome", OUTCOMES, where);
  },
  metric: "rouge",
  primaryMetric: "rougeL",
  // Measured as src/lab/tasks/collection.ts says: inputs mean 207, p95 271, max 338 tokens; titles mean 12,
  // max 22.
  maxInputTokens: 368,
  maxTargetTokens: 32,
});
