// Builds the site when there is no build, the sources changed after it, or it was built for another SITE_URL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
/** The built server's entry, loaded in-process by npm start and npm run export. */
export const entry = path.join(root, 'dist/server/entry.mjs');
/** Astro's client build: the static files the server and the static copy serve as they are. */
export const clientDir = path.join(root, 'dist/client');
const buildSettingsFile = path.join(root, 'dist/build-settings.json');

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

/** Settings the build bakes in (Astro's allowedDomains comes from SITE_URL). */
const buildSettings = (): string => JSON.stringify({ SITE_URL: process.env.SITE_URL ?? null });

/** True when there is no build, the sources changed after it, or it was built for another SITE_URL. */
export function needsBuild(): boolean {
  const built = fs.statSync(entry, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built === 0) return true;
  const builtFor = fs.existsSync(buildSettingsFile) ? fs.readFileSync(buildSettingsFile, 'utf8') : JSON.stringify({ SITE_URL: null });
  if (builtFor !== buildSettings()) return true;
  const sources = Math.max(
    newestMtime(path.join(root, 'src')),
    newestMtime(path.join(root, 'public')),
    newestMtime(path.join(root, 'astro.config.mjs')),
    newestMtime(path.join(root, 'package-lock.json')),
  );
  return sources > built;
}

/** Builds when needed (unless SKIP_BUILD=1); exits the process if the build fails. */
export function ensureBuild(): void {
  if (process.env.SKIP_BUILD === '1' || !needsBuild()) return;
  console.log('Building the site (sources changed since the last build)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(buildSettingsFile, buildSettings());
}
