// When this process first saw each maintenance file that names no `announced:` time: its announcement date then.
const seen = new Map<string, number>();

/** The first time `id` was asked for in this process (kept while the process runs; not persisted across restarts). */
export function firstSeenAt(id: string, now: number = Date.now()): number {
  let at = seen.get(id);
  if (at === undefined) seen.set(id, (at = now));
  return at;
}
