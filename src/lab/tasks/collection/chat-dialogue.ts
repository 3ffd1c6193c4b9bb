// The chat every chat task of the collection reads: chat_summary's dialogue format, "#Person1#: text" a line.

/** The two speaker tags of a chat, DialogSum's. */
export const SPEAKER_TAGS = ["#Person1#", "#Person2#"] as const;

/** One line of a chat: who speaks and what they say. */
export interface DialogueLine {
  speaker: string;
  text: string;
}

const LINE = /^(#Person[12]#): (\S.*)$/;

/** The field as chat lines; an error names the field and the first line that is not "#Person1#: text" or "#Person2#: text". */
export function requireDialogue(record: Record<string, unknown>, where: string, field = "dialogue"): DialogueLine[] {
  const value = record[field];
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${where}: field "${field}" must be a non-empty string, got ${JSON.stringify(value)?.slice(0, 60)}.`);
  const lines = value.split("\n").map((line, i) => {
    const match = LINE.exec(line);
    if (!match) throw new Error(`${where}: field "${field}" line ${i + 1} does not start with "#Person1#: " or "#Person2#: " (got ${JSON.stringify(line.slice(0, 40))}).`);
    return { speaker: match[1], text: match[2] };
  });
  if (lines.length < 2) throw new Error(`${where}: field "${field}" has 1 line; a chat needs at least 2.`);
  return lines;
}

/** The other speaker tag: the agent's when given the customer's. */
export function otherSpeaker(tag: string): string {
  return tag === SPEAKER_TAGS[0] ? SPEAKER_TAGS[1] : SPEAKER_TAGS[0];
}
