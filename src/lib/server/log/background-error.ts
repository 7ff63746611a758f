// Errors outside a request (delivery loops, workers, the mirror, the database supervisor) have nobody to answer:
// they are printed here, with where they happened and their stack, so an operator can find the cause.
import { isDatabaseUnavailable } from '../db/db-errors.ts';
import { redactSecrets } from '../db/redact-url.ts';

/** How many causes (error.cause) are followed: enough for a wrapped driver error, never a loop. */
const MAX_CAUSES = 3;

function describe(e: unknown): { message: string; stack: string } {
  if (!(e instanceof Error)) return { message: String(e), stack: '' };
  // The stack starts with "Name: message", already said on the first line: only its frames are kept.
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  return { message: e.message || e.name, stack: frames };
}

/**
 * One entry for `e` thrown at `where`: "where: message", then the stack's frames and those of its causes. A database
 * outage is expected (its callers say it once per outage) and gets the one line only. The database URL's password
 * never appears.
 */
export function formatBackgroundError(where: string, e: unknown, databaseUrl: string = process.env.DATABASE_URL ?? ''): string {
  const first = describe(e);
  const lines = [`${where}: ${first.message}`];
  if (!isDatabaseUnavailable(e)) {
    if (first.stack) lines.push(first.stack);
    let cause = e instanceof Error ? e.cause : undefined;
    for (let i = 0; i < MAX_CAUSES && cause !== undefined && cause !== null; i++) {
      const c = describe(cause);
      lines.push(`  caused by: ${c.message}`);
      if (c.stack) lines.push(c.stack);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return databaseUrl ? redactSecrets(lines.join('\n'), databaseUrl) : lines.join('\n');
}

/** Prints `e` (thrown at `where`, e.g. "email: content notifications") through `log` as one entry, with its stack. */
export function logBackgroundError(where: string, e: unknown, log: (line: string) => void = (line) => console.error(line)): void {
  log(formatBackgroundError(where, e));
}
