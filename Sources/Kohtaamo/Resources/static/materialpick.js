// The console's material picker, its pure part: the line a reply carries
// for a material of the bank, and that line put into the reply at the cursor.

/** "Title: https://…/materials/{id}" (the link as the server gives it). */
export const materialLine = (item) => `${item.title}: ${item.url}`;

/**
 * `text` put into `value` in place of the selection `start`…`end`, with a
 * space where a word around it would run into it.
 * Returns the new value and where the cursor goes (after the text).
 */
export const insertAt = (value, start, end, text) => {
  const before = value.slice(0, start);
  const after = value.slice(end);
  const lead = before && !/\s$/u.test(before) ? " " : "";
  // A word right after would run into the link; punctuation may follow it.
  const tail = /^[\p{L}\p{N}]/u.test(after) ? " " : "";
  const inserted = lead + text + tail;
  return { value: before + inserted + after, caret: before.length + lead.length + text.length };
};
