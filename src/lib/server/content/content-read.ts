// Finds and reads the files of the content folder, refusing what must not be parsed: a file over the size limit
// (never read), text that is not UTF-8, and paths that cannot be followed (a symbolic link loop), each as a problem
// naming the path, so one bad file never stalls or stops the rest (docs/decisions/029-content-file-limits.md).
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { ContentProblem } from './content-file.ts';
import { textAsksPrivate } from './site-access.ts';

/** The largest content file that is read: 1 MB, some 250 times the largest shipped post-mortem. */
export const maxContentFileBytes = 1024 * 1024;

/** How much of an oversized site.yaml is read to see whether it asks for a private site (fail closed). */
const siteHeadBytes = 64 * 1024;

export const contentFolders = ['incidents', 'maintenance', 'postmortems'] as const;
const topFiles = ['site.yaml', 'site.yml', 'components.yaml', 'components.yml', 'alerting.yaml', 'alerting.yml'];

export type ReadResult = { ok: true; text: string } | { ok: false; problems: ContentProblem[]; asksPrivate?: boolean };

/** Why a path cannot be followed, in words, or null when it simply is not there (deleted meanwhile). */
function unreachable(absolute: string, e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ELOOP') return 'symbolic link loop: skipped until the link points to a real file or folder';
  if (code === 'ENOENT') {
    const link = fs.lstatSync(absolute, { throwIfNoEntry: false });
    if (!link?.isSymbolicLink()) return null;
    let target = '?';
    try {
      target = fs.readlinkSync(absolute);
    } catch {
      // Gone meanwhile: the name alone is enough.
    }
    return `symbolic link to '${target}', which does not exist: skipped`;
  }
  return `cannot be read (${code ?? String(e)}): skipped`;
}

/** The stat of a listed path, or the problem that says why it cannot be used, or null if it is gone. */
export function statContentPath(dir: string, file: string): { stat: fs.Stats } | { problem: ContentProblem } | null {
  const absolute = path.join(dir, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (e) {
    const reason = unreachable(absolute, e);
    return reason ? { problem: { file, field: '', reason } } : null;
  }
  if (!stat.isFile()) return { problem: { file, field: '', reason: `${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not a content file: skipped` } };
  return { stat };
}

/** Whether a name exists, as a link or anything else; false too when `dir` itself cannot be used (the caller says so). */
function present(absolute: string): boolean {
  try {
    return fs.lstatSync(absolute, { throwIfNoEntry: false }) !== undefined;
  } catch { // `dir` is a file or a loop: nothing in it to list
    return false;
  }
}

/**
 * The content files under `dir` (relative paths, in a stable order), and a problem for each content folder that
 * cannot be listed for a reason other than being absent (a loop, a link to nowhere, no permission).
 * Listing never follows links deeper than the three content folders, so a link to a parent folder cannot recurse.
 */
export function listContentFiles(dir: string): { files: string[]; problems: ContentProblem[] } {
  const files: string[] = [];
  const problems: ContentProblem[] = [];
  // lstat: a link that loops or points nowhere is listed, so that reading it names the problem.
  for (const name of topFiles) if (present(path.join(dir, name))) files.push(name);
  for (const folder of contentFolders) {
    const absolute = path.join(dir, folder);
    let names: string[];
    try {
      names = fs.readdirSync(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') problems.push({ file: folder, field: '', reason: 'not a folder: skipped' });
      else {
        const reason = unreachable(absolute, e);
        if (reason) problems.push({ file: folder, field: '', reason });
      }
      continue;
    }
    for (const n of names.sort()) if (n.endsWith('.md') && !n.startsWith('.')) files.push(`${folder}/${n}`);
  }
  return { files, problems };
}

/** Where the first byte that is not UTF-8 is, as a byte offset and a 1-based line. */
export function firstInvalidUtf8(bytes: Buffer): { offset: number; line: number } | null {
  if (isUtf8(bytes)) return null;
  const text = bytes.toString('utf8');
  // Each U+FFFD is either written in the file (EF BF BD) or stands for bad bytes; the first of the second kind is it.
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    const before = text.slice(0, i);
    const offset = Buffer.byteLength(before);
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    return { offset, line: before.split('\n').length };
  }
  return { offset: 0, line: 1 };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Whether the first bytes of an oversized site.yaml ask for a non-public site (read without the rest). */
function headAsksPrivate(absolute: string): boolean {
  const head = Buffer.alloc(siteHeadBytes);
  let fd: number | null = null;
  try {
    fd = fs.openSync(absolute, 'r');
    const n = fs.readSync(fd, head, 0, siteHeadBytes, 0);
    return textAsksPrivate(head.subarray(0, n).toString('utf8'));
  } catch { // gone or unreadable meanwhile: the next scan reads it again
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The text of a content file whose stat was just taken, or the problems that keep it from being parsed: over
 * maxContentFileBytes (checked on the stat, so the file is never read) or not valid UTF-8 (refused, not loaded with
 * replacement characters). A refused site.yaml that asks for a private site says so, so the site stays closed.
 * null when the file vanished between stat and read.
 */
export function readContentText(absolute: string, file: string, stat: fs.Stats): ReadResult | null {
  const isSite = file === 'site.yaml' || file === 'site.yml';
  if (stat.size > maxContentFileBytes) {
    const reason = `${megabytes(stat.size)} (${stat.size} bytes) is over the ${megabytes(maxContentFileBytes)} limit for a content file: not read until it is smaller`;
    return { ok: false, problems: [{ file, field: '', reason }], ...(isSite && headAsksPrivate(absolute) ? { asksPrivate: true } : {}) };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absolute);
  } catch (e) {
    const reason = unreachable(absolute, e);
    return reason ? { ok: false, problems: [{ file, field: '', reason }] } : null;
  }
  // Grown since the stat (written meanwhile): refused all the same; the next scan sees its new size.
  if (bytes.length > maxContentFileBytes) return readContentText(absolute, file, { size: bytes.length } as fs.Stats);
  const bad = firstInvalidUtf8(bytes);
  if (bad) {
    const reason = `not valid UTF-8 (first bad byte at offset ${bad.offset}, line ${bad.line}): not loaded until it is saved as UTF-8`;
    return { ok: false, problems: [{ file, field: '', reason }], ...(isSite && textAsksPrivate(bytes.toString('utf8')) ? { asksPrivate: true } : {}) };
  }
  return { ok: true, text: bytes.toString('utf8') };
}
