// Cutting text to a vendor's limit without splitting a character, with an ellipsis to show the cut.
/** `text` at most `max` characters (code points) long. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
