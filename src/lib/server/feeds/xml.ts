// Text made safe for XML 1.0 (feeds and SVG badges): markup escaped, characters XML forbids dropped.

// Control characters other than tab, newline and carriage return, lone surrogates and U+FFFE/U+FFFF
// make a document ill-formed even when escaped, so they are removed rather than escaped.
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for use in XML element content or a quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(forbidden, '').replace(/[&<>"']/g, (c) => entities[c]!);
}
