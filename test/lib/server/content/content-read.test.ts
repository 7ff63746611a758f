// Files that must not be parsed: over the size limit (never read), not UTF-8, or behind a symbolic link loop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstInvalidUtf8, listContentFiles, maxContentFileBytes, readContentText, statContentPath } from '../../../../src/lib/server/content/content-read.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-read-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, data: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

describe('firstInvalidUtf8', () => {
  it('accepts UTF-8, with a byte order mark and any script', () => {
    expect(firstInvalidUtf8(Buffer.from('\uFEFFcafé — 障害 🚒\n'))).toBeNull();
  });

  it('names the offset and line of a Latin-1 byte', () => {
    const bytes = Buffer.concat([Buffer.from('---\ntitle: caf'), Buffer.from([0xe9]), Buffer.from('\n---\n')]);
    expect(firstInvalidUtf8(bytes)).toEqual({ offset: 14, line: 2 });
  });

  it('skips a replacement character written in the file and finds the bad byte after it', () => {
    const bytes = Buffer.concat([Buffer.from('a\uFFFDb\nc\n'), Buffer.from([0xc3, 0x28])]);
    expect(firstInvalidUtf8(bytes)).toEqual({ offset: 8, line: 3 });
  });

  it('refuses a truncated sequence at the very end and an encoded surrogate', () => {
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toEqual({ offset: 2, line: 1 });
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toEqual({ offset: 1, line: 1 });
  });
});

describe('readContentText', () => {
  it('refuses a file over the limit from its size, without reading it', () => {
    const file = write('incidents/huge.md', Buffer.alloc(2 * 1024 * 1024, 'a'));
    const read = vi.spyOn(fs, 'readFileSync');
    const r = readContentText(file, 'incidents/huge.md', fs.statSync(file));
    expect(read).not.toHaveBeenCalled();
    const small = write('incidents/small.md', 'x');
    readContentText(small, 'incidents/small.md', fs.statSync(small));
    expect(read).toHaveBeenCalledTimes(1);
    expect(r).toEqual({ ok: false, problems: [{ file: 'incidents/huge.md', field: '', reason: '2.0 MB (2097152 bytes) is over the 1.0 MB limit for a content file: not read until it is smaller' }] });
  });

  it('reads a file of exactly the limit', () => {
    const file = write('incidents/edge.md', Buffer.alloc(maxContentFileBytes, 'a'));
    expect(readContentText(file, 'incidents/edge.md', fs.statSync(file))?.ok).toBe(true);
  });

  it('refuses invalid UTF-8 naming where, rather than loading replacement characters', () => {
    const file = write('incidents/latin1.md', Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9, 0x0a]), Buffer.from('---\n')]));
    const r = readContentText(file, 'incidents/latin1.md', fs.statSync(file));
    expect(r).toEqual({ ok: false, problems: [{ file: 'incidents/latin1.md', field: '', reason: 'not valid UTF-8 (first bad byte at offset 14, line 2): not loaded until it is saved as UTF-8' }] });
  });

  it('an oversized or non-UTF-8 site.yaml that asks for a private site keeps it closed', () => {
    const big = write('site.yaml', `name: Acme\nvisibility: private\n${'#'.repeat(maxContentFileBytes)}\n`);
    expect(readContentText(big, 'site.yaml', fs.statSync(big))).toMatchObject({ ok: false, asksPrivate: true });
    const latin = write('site.yml', Buffer.concat([Buffer.from('name: Caf'), Buffer.from([0xe9]), Buffer.from('\nvisibility: private\n')]));
    expect(readContentText(latin, 'site.yml', fs.statSync(latin))).toMatchObject({ ok: false, asksPrivate: true });
    const open = write('site.yaml', Buffer.concat([Buffer.from('name: Caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(readContentText(open, 'site.yaml', fs.statSync(open))).not.toHaveProperty('asksPrivate');
  });
});

describe('listing and following links', () => {
  it('names a file loop (a -> b -> a) and a folder loop instead of skipping them in silence', () => {
    write('site.yaml', 'name: Acme\n');
    write('incidents/fine.md', '---\n---\n');
    fs.symlinkSync('b.md', path.join(dir, 'incidents/a.md'));
    fs.symlinkSync('a.md', path.join(dir, 'incidents/b.md'));
    fs.symlinkSync('loop', path.join(dir, 'maintenance'));
    fs.symlinkSync('maintenance', path.join(dir, 'loop'));
    const listed = listContentFiles(dir);
    expect(listed.files).toEqual(['site.yaml', 'incidents/a.md', 'incidents/b.md', 'incidents/fine.md']);
    expect(listed.problems).toEqual([{ file: 'maintenance', field: '', reason: 'symbolic link loop: skipped until the link points to a real file or folder' }]);
    expect(statContentPath(dir, 'incidents/a.md')).toEqual({ problem: { file: 'incidents/a.md', field: '', reason: 'symbolic link loop: skipped until the link points to a real file or folder' } });
    expect(statContentPath(dir, 'incidents/fine.md')).toHaveProperty('stat');
  });

  it('a link to the parent folder is not followed into recursion, and one named like a file is a problem', () => {
    write('site.yaml', 'name: Acme\n');
    fs.mkdirSync(path.join(dir, 'incidents'));
    fs.symlinkSync('..', path.join(dir, 'incidents/parent'));
    fs.symlinkSync('..', path.join(dir, 'incidents/up.md'));
    fs.symlinkSync('.', path.join(dir, 'postmortems'));
    const listed = listContentFiles(dir);
    expect(listed).toEqual({ files: ['site.yaml', 'incidents/up.md'], problems: [] });
    expect(statContentPath(dir, 'incidents/up.md')).toEqual({ problem: { file: 'incidents/up.md', field: '', reason: 'a folder, not a content file: skipped' } });
  });

  it('names a link to nowhere, and says nothing of a file deleted between listing and reading', () => {
    fs.mkdirSync(path.join(dir, 'incidents'));
    fs.symlinkSync('gone.md', path.join(dir, 'incidents/dangling.md'));
    expect(statContentPath(dir, 'incidents/dangling.md')).toEqual({ problem: { file: 'incidents/dangling.md', field: '', reason: "symbolic link to 'gone.md', which does not exist: skipped" } });
    expect(statContentPath(dir, 'incidents/never.md')).toBeNull();
  });
});

describe('a content folder that is not one', () => {
  it('lists nothing, without throwing, when the folder is a file or a link loop', () => {
    const file = write('not-a-folder', 'x');
    expect(listContentFiles(file).files).toEqual([]);
    fs.symlinkSync('loop-2', path.join(dir, 'loop-1'));
    fs.symlinkSync('loop-1', path.join(dir, 'loop-2'));
    expect(listContentFiles(path.join(dir, 'loop-1')).files).toEqual([]);
  });
});
