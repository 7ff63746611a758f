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
