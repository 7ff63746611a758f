// How long each stored text may be, checked before anything is written, and the message that names the field.

/** Characters at most, per kind of field. */
export const fieldLimits = {
  /** RFC 5321 allows 64 + 1 + 255; 320 is the usual ceiling for an address anyone types. */
  email: 320,
  /** A subscriber's address is sent to: RFC 5321's 254 for a path. */
  subscriberEmail: 254,
  title: 200,
  message: 20_000,
  postmortemBody: 200_000,
  /** Ids and slugs typed or picked in a form (repeat of, update id). */
  id: 200,
  /** Who was told at an escalation step, and the step's role. */
  name: 200,
} as const;

/** "Title: at most 200 characters". */
export function tooLongMessage(label: string, max: number): string {
  return `${label}: at most ${max.toLocaleString('en-US')} characters`;
}

/** CR, LF and the other line separators: a title or name holding one could split a mail header in two. */
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;
const CONTROL_RUN = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

export function hasLineBreak(value: string): boolean {
  return LINE_BREAK.test(value);
}

/** The text on one line: every run of line breaks and control characters becomes one space. */
export function singleLine(value: string): string {
  return value.replace(CONTROL_RUN, ' ').trim();
}

/** "Title: must be a single line (no line breaks)". */
export function multiLineMessage(label: string): string {
  return `${label}: must be a single line (no line breaks)`;
}
