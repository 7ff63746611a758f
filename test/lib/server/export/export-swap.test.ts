// The versioned folder: a reader inside the old version keeps a complete tree, only changed files get new inodes,
// older versions go, a folder or symlink that is not ours is refused and left alone.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExportManifest } from '../../../../src/lib/server/export/export-manifest.ts';
import { beginVersion, currentVersion, ExportDirError, pinCurrentVersion, prepareExportDir, type ExportLayout } from '../../../../src/lib/server/export/export-swap.ts';

let tmp: string;
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-swap-')); });
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Writes a version with the given files (and a manifest naming them), as the exporter does. */
async function write(layout: ExportLayout, files: Record<string, string>): Promise<{ written: string[] }> {
  const previous = currentVersion(layout);
  const w = beginVersion(layout, previous);
  const written: string[] = [];
  const manifest: ExportManifest = {
    format: 1, liveOrigin: 'https://x.test', dataVersion: null, headerSets: [{}], files: {},
    stats: { version: w.number, startedAt: '', durationMs: 0, files: 0, bytes: 0, written: 0, removed: 0, rendered: 0, reused: 0 },
  };
  for (const [file, text] of Object.entries(files)) {
    if (w.put(file, Buffer.from(text), sha(text))) written.push(file);
    manifest.files[file] = { path: `/${file}`, sha256: sha(text), bytes: text.length, headers: 0 };
  }
  const m = JSON.stringify(manifest);
  w.put('export-manifest.json', Buffer.from(m), sha(m));
  await w.commit();
  return { written };
}

describe('export folder', () => {
  it('swaps whole versions: a reader inside the old one keeps a complete tree', async () => {
    const layout = prepareExportDir(path.join(tmp, 'site'));
    await write(layout, { 'index.html': 'one', 'incidents/a.html': 'A' });
    // A reader resolves the link once (as a web server does per request) and reads the tree behind it.
    const reading = fs.realpathSync(layout.dir);
    await write(layout, { 'index.html': 'two', 'incidents/b.html': 'B' });
    expect(fs.readFileSync(path.join(reading, 'index.html'), 'utf8')).toBe('one');
    expect(fs.readFileSync(path.join(reading, 'incidents/a.html'), 'utf8')).toBe('A');
    expect(fs.readFileSync(path.join(layout.dir, 'index.html'), 'utf8')).toBe('two');
    expect(fs.existsSync(path.join(layout.dir, 'incidents/a.html'))).toBe(false);
    expect(fs.readlinkSync(layout.dir)).toBe('site.versions/2');
  });

  it('writes only changed files; unchanged ones are hard links to the previous version', async () => {
    const layout = prepareExportDir(path.join(tmp, 'site'));
    await write(layout, { 'index.html': 'one', 'a.html': 'A', 'b.html': 'B' });
    const ino = (f: string): number => fs.statSync(path.join(layout.dir, f)).ino;
    const before = { a: ino('a.html'), b: ino('b.html'), index: ino('index.html') };
    const { written } = await write(layout, { 'index.html': 'two', 'a.html': 'A', 'b.html': 'B' });
    expect(written).toEqual(['index.html']);
    expect(ino('a.html')).toBe(before.a);
    expect(ino('b.html')).toBe(before.b);
    expect(ino('index.html')).not.toBe(before.index);
  });

  it('keeps the current and the previous version only, unless a push is reading an older one', async () => {
    const layout = prepareExportDir(path.join(tmp, 'site'));
    await write(layout, { 'index.html': '1' });
    const pinned = pinCurrentVersion(layout)!;
    await write(layout, { 'index.html': '2' });
    await write(layout, { 'index.html': '3' });
    expect(fs.readdirSync(layout.versions).filter((n) => /^\d+$/.test(n)).sort()).toEqual(['1', '2', '3']);
    pinned.release();
    await write(layout, { 'index.html': '4' });
    expect(fs.readdirSync(layout.versions).filter((n) => /^\d+$/.test(n)).sort()).toEqual(['3', '4']);
  });

  it('drops an unfinished version without touching the current one', async () => {
    const layout = prepareExportDir(path.join(tmp, 'site'));
    await write(layout, { 'index.html': 'good' });
    const w = beginVersion(layout, currentVersion(layout));
    w.put('index.html', Buffer.from('half'), sha('half'));
    w.abort();
    expect(fs.readFileSync(path.join(layout.dir, 'index.html'), 'utf8')).toBe('good');
    expect(fs.readdirSync(layout.versions).some((n) => n.endsWith('.partial'))).toBe(false);
  });

  it('replaces an empty folder, refuses one with files or a foreign symlink, naming it, and deletes nothing', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    await write(prepareExportDir(empty), { 'index.html': 'x' });
    expect(fs.lstatSync(empty).isSymbolicLink()).toBe(true);

    const full = path.join(tmp, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'mine.txt'), 'keep');
    expect(() => prepareExportDir(full)).toThrow(ExportDirError);
    expect(() => prepareExportDir(full)).toThrow(`STATIC_EXPORT_DIR: ${full} is a folder with files this server did not write`);
    expect(fs.readFileSync(path.join(full, 'mine.txt'), 'utf8')).toBe('keep');

    const link = path.join(tmp, 'link');
    fs.symlinkSync(full, link);
    expect(() => prepareExportDir(link)).toThrow(/is a symlink to .*, not to a copy this server wrote/);

    const file = path.join(tmp, 'file');
    fs.writeFileSync(file, 'x');
    expect(() => prepareExportDir(file)).toThrow(/is a file/);

    const squatted = path.join(tmp, 'squat');
    fs.mkdirSync(`${squatted}.versions`);
    fs.writeFileSync(path.join(`${squatted}.versions`, 'other.txt'), 'x');
    expect(() => prepareExportDir(squatted)).toThrow(/squat\.versions exists and was not made by this server/);
  });
});
