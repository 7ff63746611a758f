// Reading a static copy on disk: its manifest, files and inodes, for the static export tests.
import fs from 'node:fs';
import path from 'node:path';
import type { ExportManifest } from '../../src/lib/server/export/export-manifest.ts';

/** The manifest the copy in `dir` (a symlink) points at, or null before the first export. */
export function readManifest(dir: string): ExportManifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'export-manifest.json'), 'utf8')) as ExportManifest;
  } catch {
    return null;
  }
}

/** The manifest once its version is above `after`; throws (for eventually) until then. */
export function manifestAfter(dir: string, after: number): ExportManifest {
  const m = readManifest(dir);
  if (!m || m.stats.version <= after) throw new Error(`no export after version ${after} yet (have ${m?.stats.version ?? 'none'})`);
  return m;
}

export function inode(dir: string, file: string): number {
  return fs.statSync(path.join(dir, file)).ino;
}

/** The live paths the manifest lists, with their files. */
export function servedFiles(m: ExportManifest): { path: string; file: string }[] {
  return Object.entries(m.files).filter(([, f]) => f.path !== null).map(([file, f]) => ({ path: f.path!, file }));
}
