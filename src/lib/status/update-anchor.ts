// The fragment that names one posted update on its incident or maintenance page: update-1 is the oldest.

/** `update-<n>` for the update at `index` of a newest-first list; numbers never shift when newer updates arrive. */
export function updateAnchor(newestFirstLength: number, index: number): string {
  return `update-${newestFirstLength - index}`;
}
