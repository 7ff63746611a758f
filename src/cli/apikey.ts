// npm run apikey -- create NAME --scopes incidents,components | list | revoke NAME
// The key is printed once, at creation; only its SHA-256 is stored.
import { apiKeyScopes, createApiKey, listApiKeys, parseScopes, revokeApiKey } from '../lib/server/apikeys/api-keys.ts';
import { openDb } from '../lib/server/db/connection.ts';
import { migrateToLatest } from '../lib/server/db/migrate.ts';
import { redactSecrets } from '../lib/server/db/redact-url.ts';
import { NotFoundError, RefusedError } from '../lib/server/errors.ts';
import { settingsOrExit } from './settings-or-exit.ts';

const usage = `usage: npm run apikey -- create <name> --scopes ${apiKeyScopes.join(',')} | list | revoke <name>`;
const args = process.argv.slice(2);
const [command, name] = args;
const scopesAt = args.findIndex((a) => a === '--scopes' || a.startsWith('--scopes='));
const scopesText = scopesAt < 0 ? 'read' : args[scopesAt]!.includes('=') ? args[scopesAt]!.split('=')[1]! : (args[scopesAt + 1] ?? '');

const settings = settingsOrExit();
const db = openDb(settings.DATABASE_URL);
const now = Date.now();
const iso = (t: number | null): string => (t === null ? 'never' : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'));

try {
  await migrateToLatest(db);
  if (command === 'create' && name && !name.startsWith('--')) {
    const { key, secret } = await createApiKey(db, name, parseScopes(scopesText), 'cli', now);
    console.log(`Created API key '${key.name}' (scopes: ${key.scopes.join(', ')}). It is shown only this once:\n  ${secret}\nSend it as: Authorization: OAuth ${secret}`);
  } else if (command === 'list') {
    const keys = await listApiKeys(db);
    if (keys.length === 0) console.log('No API keys yet.');
    for (const k of keys) console.log(`${k.name}\t${k.scopes.join(',')}\t${k.revokedAt === null ? 'active' : `revoked ${iso(k.revokedAt)}`}\tcreated ${iso(k.createdAt)} by ${k.createdBy}\tlast used ${iso(k.lastUsedAt)}`);
  } else if (command === 'revoke' && name) {
    await revokeApiKey(db, name, 'cli', now);
    console.log(`Revoked '${name}': requests with it are now refused.`);
  } else {
    console.error(usage);
    process.exitCode = 1;
  }
} catch (e) {
  const known = e instanceof RefusedError || e instanceof NotFoundError;
  console.error(known ? (e as Error).message : redactSecrets(e instanceof Error ? e.message : String(e), settings.DATABASE_URL));
  process.exitCode = 1;
} finally {
  await db.destroy();
}
