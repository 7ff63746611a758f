// npm run backup -- FILE [--force]: a consistent copy of the SQLite database, safe while the server runs.
import { backupSqlite, sqliteFile } from '../lib/server/db/backup.ts';
import { isPostgresUrl } from '../lib/server/db/connection.ts';
import { redactUrl } from '../lib/server/db/redact-url.ts';
import { settingsOrExit } from './settings-or-exit.ts';

const usage = 'usage: npm run backup -- FILE [--force]   (copies the SQLite database named by DATABASE_URL to FILE)';
const args = process.argv.slice(2);
const force = args.includes('--force');
const files = args.filter((a) => a !== '--force');
if (files.length !== 1 || files[0]!.startsWith('-')) {
  console.error(usage);
  process.exit(2);
}

const settings = settingsOrExit();

if (isPostgresUrl(settings.DATABASE_URL)) {
  console.error(`DATABASE_URL is PostgreSQL (${redactUrl(settings.DATABASE_URL)}); npm run backup copies SQLite files. Use pg_dump -Fc (README, "Backups and restore").`);
  process.exit(1);
}

const r = await backupSqlite(sqliteFile(settings.DATABASE_URL), files[0]!, { force });
if (!r.ok) {
  console.error(r.error);
  process.exit(1);
}
const size = r.bytes >= 1e6 ? `${(r.bytes / 1e6).toFixed(1)} MB` : `${(r.bytes / 1e3).toFixed(1)} KB`;
console.log(`Backed up ${settings.DATABASE_URL} to ${r.path} (${size}, ${r.bytes} bytes).`);
