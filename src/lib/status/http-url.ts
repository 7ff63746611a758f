// Links that people follow: only http(s), so a configured javascript:, data: or file: link never reaches a page.

/** Why `value` is not an absolute http(s) URL, or null when it is one. */
export function httpUrlProblem(value: string, example: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return `must be an absolute http(s) URL, e.g. ${example}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http(s) URL, e.g. ${example} (${url.protocol} links are refused)`;
  if (url.hostname === '') return `must be an absolute http(s) URL, e.g. ${example}`;
  return null;
}
