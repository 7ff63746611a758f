// Requests per API key per minute (API_RATE_LIMIT_PER_MINUTE), counted in this process in fixed one-minute windows.
const WINDOW_MS = 60_000;
const windows = new Map<string, { start: number; count: number }>();

/** Counts one request; null when allowed, else the whole seconds until the window ends (for Retry-After). */
export function takeKeyRequest(keyId: string, limit: number, now: number): number | null {
  let w = windows.get(keyId);
  if (!w || now - w.start >= WINDOW_MS) {
    w = { start: now - (now % WINDOW_MS), count: 0 };
    windows.set(keyId, w);
  }
  if (w.count >= limit) return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  w.count++;
  return null;
}
