// npm run user -- add <email> [--role viewer|responder|admin] | list | remove <email> | reset-password <email>
// Passwords never appear on the command line: add and reset-password print a one-time link instead.
import { recordAudit } from '../lib/server/audit/audit-log.ts';
import { invalidateUserSessions } from '../lib/server/auth/session.ts';
import { issueResetLink, linkBaseUrl } from '../lib/server/auth/setup-link.ts';
import { countAdmins, deleteUser, findUserByEmail, insertUser, listUsers, normalizeEmail } from '../lib/server/auth/users.ts';
import { isRole } from '../lib/status/roles.ts';
import { openDb } from '../lib/server/db/connection.ts';
import { migrateToLatest } from '../lib/server/db/migrate.ts';
import { redactSecrets } from '../lib/server/db/redact-url.ts';
import { settingsOrExit } from './settings-or-exit.ts';

const usage = 'usage: npm run user -- add <email> [--role viewer|responder|admin] | list | remove <email> | reset-password <email>';
const args = process.argv.slice(2);
// --role applies to add (default admin: the CLI is for whoever runs the server).
const roleAt = args.findIndex((a) => a === '--role' || a.startsWith('--role='));
const roleArg = roleAt === -1 ? 'admin' : args[roleAt]!.includes('=') ? args[roleAt]!.split('=')[1]! : args[roleAt + 1] ?? '';
if (roleAt !== -1) args.splice(roleAt, args[roleAt]!.includes('=') ? 1 : 2);
const [command, emailArg] = args;

const settings = settingsOrExit();
const baseUrl = linkBaseUrl(settings.SITE_URL, settings.HOST, settings.PORT);
// Without SITE_URL the link names this machine, which may not be where the person opening it reaches the site.
const linkNote = settings.SITE_URL ? '' : `\n(SITE_URL is not set, so the link points at ${baseUrl}; set SITE_URL to the public address.)`;
const db = openDb(settings.DATABASE_URL);
const now = Date.now();
const fail = (message: string): never => {
  console.error(message);
  process.exitCode = 1;
  throw new Error(message);
};

try {
  await migrateToLatest(db);
  const email = emailArg ? normalizeEmail(emailArg) : '';
  if (command === 'list') {
    const users = await listUsers(db);
    if (users.length === 0) console.log('No users yet.');
    for (const u of users) console.log(`${u.email}\t${u.hasPassword ? 'active' : u.sso ? 'active (single sign-on)' : 'invited (no password yet)'}\tsince ${new Date(u.createdAt).toISOString().slice(0, 10)}\t${u.role}`);
  } else if (command === 'add' || command === 'remove' || command === 'reset-password') {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`${usage}\n'${emailArg ?? ''}' is not an email address.`);
    const existing = await findUserByEmail(db, email);
    if (command === 'add') {
      if (existing) fail(`${email} already has an account; use reset-password to send a new link.`);
      if (!isRole(roleArg)) fail(`${usage}\n'${roleArg}' is not a role.`);
      await insertUser(db, email, null, now, isRole(roleArg) ? roleArg : 'admin');
      await recordAudit(db, { actor: 'cli', action: 'user_created', target: email, detail: `role ${roleArg}` }, now);
      console.log(`Added ${email} (${roleArg}). Send them this link to choose a password (valid 1 hour, single use):\n  ${await issueResetLink(db, email, baseUrl, now)}${linkNote}`);
    } else if (!existing) {
      fail(`No account for ${email}.`);
    } else if (command === 'remove') {
      if (existing.role === 'admin' && (await countAdmins(db)) <= 1) fail(`${email} is the last admin and cannot be removed; make another account admin first.`);
      await invalidateUserSessions(db, existing.id);
      await deleteUser(db, existing.id);
      await recordAudit(db, { actor: 'cli', action: 'user_removed', target: email }, now);
      console.log(`Removed ${email}; their sessions are ended.`);
    } else {
      await invalidateUserSessions(db, existing.id);
      await recordAudit(db, { actor: 'cli', action: 'password_reset_link', target: email }, now);
      console.log(`Signed ${email} out everywhere. Password link (valid 1 hour, single use):\n  ${await issueResetLink(db, email, baseUrl, now)}${linkNote}`);
    }
  } else {
    fail(usage);
  }
} catch (e) {
  if (process.exitCode !== 1) {
    console.error(redactSecrets(e instanceof Error ? e.message : String(e), settings.DATABASE_URL));
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
