// Frontmatter YAML, read fast: js-yaml's core schema is about ten times quicker than `yaml`, which is what
// makes 10,000 incident files load in well under a second of parsing (docs/decisions/024-archive-scale.md).
// `yaml` stays the authority: whenever the fast result is refused, the file is parsed again with it, so every
// problem a reader sees is worded as before, and a value the two parsers read differently is decided by `yaml`.
import jsYaml from 'js-yaml';

/** The fast parse, or undefined when js-yaml refuses the text (the caller then asks `yaml`, which names the problem). */
export function parseYamlFast(text: string): unknown {
  try {
    // CORE_SCHEMA: YAML 1.2 core types only (no timestamps turned into Dates, no merge keys), as `yaml` reads them.
    return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
}
