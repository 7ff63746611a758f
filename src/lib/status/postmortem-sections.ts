// The sections of a post-mortem body ("## Summary", "## Impact" …) as markdown, for excerpts (emails, feeds).

/** One `#`–`######` section: its heading text, level, 1-based line and the markdown under it. */
export interface PostmortemSection {
  heading: string;
  level: number;
  line: number;
  markdown: string;
}

/** Every ATX heading's section, in order; a section runs to the next heading of its level or higher. Code fences hide headings. */
export function postmortemSections(body: string): PostmortemSection[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const headings: { index: number; level: number; text: string }[] = [];
  let fence: string | null = null;
  lines.forEach((line, index) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1] ?? null;
    if (fence !== null) {
      if (open !== null && open[0] === fence[0] && open.length >= fence.length && line.trim() === open) fence = null;
      return;
    }
    if (open !== null) {
      fence = open;
      return;
    }
    const h = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (h) headings.push({ index, level: h[1]!.length, text: h[2]!.trim() });
  });
  return headings.map((h, i) => {
    const end = headings.slice(i + 1).find((next) => next.level <= h.level)?.index ?? lines.length;
    return { heading: h.text, level: h.level, line: h.index + 1, markdown: lines.slice(h.index + 1, end).join('\n').trim() };
  });
}

/** The markdown under the first heading named `name` ("Summary", "impact"; any level, case and trailing "(UTC)" ignored), or null. */
export function postmortemSection(body: string, name: string): string | null {
  const wanted = name.trim().toLowerCase();
  const section = postmortemSections(body).find((s) => s.heading.replace(/\s*\([^)]*\)\s*$/, '').replace(/[*_`]/g, '').trim().toLowerCase() === wanted);
  return section ? section.markdown : null;
}
