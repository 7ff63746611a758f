// The static export under npm run bench: a full export, then one admin update, at a given archive size.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { firstAdmin } from '../test/helpers/admin-client.ts';
import { eventually, startServer } from '../test/helpers/server.ts';
import { manifestAfter, readManifest } from '../test/helpers/static-export.ts';
import { generateContent } from './generate-content.ts';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Prints the full export's time, files and bytes, and what one admin update rewrites and how fast. */
export async function benchExport(now: number, pastIncidents: number): Promise<void> {
  const content = generateContent({ now, pastIncidents, openIncidents: 3 });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-bench-export-'));
  const dir = path.join(tmp, 'mirror');
  const server = await startServer({ contentDir: content, env: { STATIC_EXPORT_DIR: dir } });
  try {
    const full = (await eventually(async () => { manifestAfter(dir, 0); }, 600_000).then(() => readManifest(dir)!)).stats;
    console.log(`${String(pastIncidents).padStart(6)} past incidents, full export: ${(full.durationMs / 1000).toFixed(2)} s, ${full.files} files, ${mb(full.bytes)} (${full.rendered} documents rendered)`);
    const admin = await firstAdmin(server, { email: 'bench@example.com' });
    const created = await admin.post('/admin/incidents/new', { title: 'Bench export incident', severity: 'P2', message: 'We are investigating export speed.', notify: 'no' });
    const incident = created.headers.get('location')!.replace(/\?.*/, '');
    const afterCreate = await eventually(async () => { manifestAfter(dir, full.version); }, 600_000).then(() => readManifest(dir)!.stats);
    await admin.post(incident, { action: 'update', status: 'identified', message: 'We have identified the cause as a slow disk.' });
    const posted = Date.now();
    const update = (await eventually(async () => {
      manifestAfter(dir, afterCreate.version);
      if (!fs.readFileSync(path.join(dir, 'index.html'), 'utf8').includes('slow disk')) throw new Error('not yet');
    }, 600_000).then(() => readManifest(dir)!)).stats;
    const visible = Date.now() - posted;
    console.log(`${String(pastIncidents).padStart(6)} past incidents, after one admin update: visible in the copy ${(visible / 1000).toFixed(2)} s after the post (export ${(update.durationMs / 1000).toFixed(2)} s); ${update.written} of ${update.files} files rewritten, ${update.rendered} rendered, ${update.reused} settled pages reused (creating an incident: ${afterCreate.written} rewritten)`);
  } finally {
    await server.stop();
    fs.rmSync(content, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(`${dir}.versions`, { recursive: true, force: true });
  }
}
