// REQUIRE_2FA: until a signed-in user has TOTP or a passkey, the admin area is only the account page (to enrol,
// including its passkey endpoint) and sign-out.
import { isDatabaseUnavailable, DatabaseUnavailableError } from '../db/db-errors.ts';
import { database } from '../status-data/runtime.ts';
import { hasSecondFactor } from './second-factor.ts';
import { signsInOnlyThroughSso } from './users.ts';

/** Where a user without TOTP is sent, and what they may still reach. */
export const ENROL_PATH = '/admin/account';
const ALLOWED = new Set([ENROL_PATH, '/admin/account/passkeys', '/admin/logout']);

// Users seen enrolled, consulted only while the database cannot answer (an outage must not lock out the on-call).
const seenEnrolled = new Set<string>();

/** Whether this request must be sent to enrol first (REQUIRE_2FA on, the user without TOTP, a passkey or SSO only, the path not allowed). */
export async function mustEnrolFirst(userId: string, path: string): Promise<boolean> {
  if (ALLOWED.has(path) || ALLOWED.has(path.replace(/\/$/, ''))) return false;
  try {
    const db = await database();
    // An account only the provider signs in (no password) has the provider's second factor (decision record 019).
    const enrolled = (await hasSecondFactor(db, userId)) || (await signsInOnlyThroughSso(db, userId));
    if (enrolled) seenEnrolled.add(userId);
    else seenEnrolled.delete(userId);
    return !enrolled;
  } catch (e) {
    if (e instanceof DatabaseUnavailableError || isDatabaseUnavailable(e)) return !seenEnrolled.has(userId);
    throw e;
  }
}
