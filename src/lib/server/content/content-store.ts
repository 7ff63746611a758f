// Keeps the content directory in memory, re-reading only changed files, and watches it for changes.
import fs from 'node:fs';
import path from 'node:path';
import { contentKind, parseContentFile, type ContentProblem, type ParsedFile } from './content-file.ts';
import { buildSnapshot, type ContentSnapshot } from './content-snapshot.ts';
import { contentFolders, listContentFiles, readContentText, statContentPath } from './content-read.ts';
import { logBackgroundError } from '../log/background-error.ts';
import { closedSite } from './site-access.ts';

interface FileEntry {
  mtimeMs: number;
  size: number;
  /** The current version when valid, else the last valid version (null if it never was). */
  good: ParsedFile | null;
  problems: ContentProblem[];
  /** An unreadable site.yaml that asks for a non-public visibility (site-access.ts). */
  asksPrivate?: boolean;
  /** Set while the path cannot be followed (a symbolic link loop …): the problem's reason. */
  unreachable?: string;
}

export interface ContentState {
  snapshot: ContentSnapshot;
  problems: ContentProblem[];
  /** Increases on every change of what is served. */
  version: number;
  /** Set while the folder is missing or empty: the last good snapshot is served meanwhile. */
  unavailable: { since: number; reason: string } | null;
}

export interface ContentStore {
  current(): ContentState;
  /** Re-reads changed files now (the watcher does this by itself). */
  refresh(): ContentState;
  onChange(listener: (state: ContentState) => void): () => void;
  close(): void;
}

type CachedParse = { mtimeMs: number; size: number; result: ReturnType<typeof parseContentFile> };

/**
 * Parses shared by every store in the process, by absolute path: the email worker and the site each open one over
 * the same folder (and the worker's copy of this module is not the bundle's), so the key is global.
 */
function parseCache(): Map<string, CachedParse> {
  const key = Symbol.for('kaizen.contentParseCache');
  const g = globalThis as { [key]?: Map<string, CachedParse> };
  return (g[key] ??= new Map());
}

/** The file parsed, reusing another store's parse when the file's mtime and size are unchanged. */
function parseShared(absolute: string, file: string, stat: fs.Stats): ReturnType<typeof parseContentFile> | null {
  const cache = parseCache();
  const hit = cache.get(absolute);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.result;
  const read = readContentText(absolute, file, stat);
  if (!read) return null;
  const result = read.ok ? parseContentFile(file, read.text) : read;
  cache.set(absolute, { mtimeMs: stat.mtimeMs, size: stat.size, result });
  return result;
}

/** How long the safety-net poll waits: a second, or twenty times the last scan, so it never takes over 5 % of a core. */
export function pollDelay(lastScanMs: number): number {
  return Math.max(1000, Math.round(lastScanMs * 20));
}

/** Reads the whole directory once, with no cache: what `npm run content:check` uses. */
export function readContent(dir: string): { snapshot: ContentSnapshot; problems: ContentProblem[] } {
  const files: ParsedFile[] = [];
  const problems: ContentProblem[] = [];
  if (!fs.existsSync(dir)) problems.push({ file: dir, field: '', reason: 'content directory does not exist' });
  const listed = listContentFiles(dir);
  problems.push(...listed.problems);
  const list = listed.files;
  if (!list.some((f) => contentKind(f) === 'site')) problems.push({ file: 'site.yaml', field: '', reason: 'missing' });
  let closedBy: string | null = null;
  for (const file of list) {
    const found = statContentPath(dir, file);
    if (!found) continue;
    if ('problem' in found) {
      problems.push(found.problem);
      continue;
    }
    const read = readContentText(path.join(dir, file), file, found.stat);
    if (!read) continue;
    const r = read.ok ? parseContentFile(file, read.text) : read;
    if (r.ok) files.push(r.parsed);
    else {
      problems.push(...r.problems);
      if (r.asksPrivate) closedBy = file;
    }
  }
  const snapshot = buildSnapshot(files, problems);
  if (closedBy) snapshot.site = closedSite(snapshot.site, closedBy, problems);
  return { snapshot, problems };
}

function problemKey(p: ContentProblem): string {
  return `${p.file}|${p.field}|${p.reason}`;
}

/**
 * Opens a store over `dir`. A file that becomes invalid keeps its last valid version;
 * every new problem is logged once through `log`.
 */
export function openContentStore(dir: string, options: { watch?: boolean; log?: (line: string) => void; now?: () => number } = {}): ContentStore {
  const log = options.log ?? ((line: string) => console.warn(line));
  const now = options.now ?? Date.now;
  const entries = new Map<string, FileEntry>();
  const listeners = new Set<(s: ContentState) => void>();
  const logged = new Set<string>();
  let state: ContentState | null = null;
  let version = 0;
  let unavailable: ContentState['unavailable'] = null;
  /** Content folders that cannot be listed (a link loop …), as of the last scan. */
  let listProblems: ContentProblem[] = [];

  /** Why the folder cannot be used as it is now, or null. A folder that vanished or emptied is an accident, not an edit. */
  function folderProblem(files: string[]): string | null {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dir, { throwIfNoEntry: false });
    } catch (e) {
      return `${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    }
    if (!stat) return `${dir} does not exist`;
    if (!stat.isDirectory()) return `${dir} is not a folder`;
    if (files.length === 0) return `${dir} holds no content files`;
    return null;
  }

  /** Keeps the last good files while the folder is gone; true when that state changed. */
  function checkFolder(files: string[]): boolean {
    const problem = entries.size > 0 ? folderProblem(files) : null;
    if (problem && !unavailable) {
      unavailable = { since: now(), reason: problem };
      log(`content: ${problem}; serving the last good copy (${entries.size} files) until it is back`);
      return true;
    }
    if (!problem && unavailable) {
      log(`content: ${dir} is back after ${Math.round((now() - unavailable.since) / 1000)} s`);
      unavailable = null;
      return true;
    }
    return false;
  }

  function scan(): boolean {
    let changed = false;
    const listed = listContentFiles(dir);
    const files = listed.files;
    if (checkFolder(files)) changed = true;
    if (unavailable) return changed;
    if (listed.problems.map(problemKey).join('\n') !== listProblems.map(problemKey).join('\n')) {
      listProblems = listed.problems;
      changed = true;
    }
    const present = new Set(files);
    for (const file of [...entries.keys()]) {
      if (!present.has(file)) {
        entries.delete(file);
        parseCache().delete(path.join(dir, file));
        changed = true;
      }
    }
    for (const file of present) {
      const found = statContentPath(dir, file);
      if (!found) continue;
      const prev = entries.get(file);
      if ('problem' in found) {
        // A loop or a link to nowhere: named as a problem; what the file said before is still served.
        if (prev?.unreachable === found.problem.reason) continue;
        entries.set(file, { mtimeMs: -1, size: -1, good: prev?.good ?? null, problems: [found.problem], unreachable: found.problem.reason });
        changed = true;
        continue;
      }
      const { stat } = found;
      if (prev && prev.mtimeMs === stat.mtimeMs && prev.size === stat.size) continue;
      const r = parseShared(path.join(dir, file), file, stat);
      if (!r) continue;
      entries.set(file, r.ok
        ? { mtimeMs: stat.mtimeMs, size: stat.size, good: r.parsed, problems: [] }
        : { mtimeMs: stat.mtimeMs, size: stat.size, good: prev?.good ?? null, problems: r.problems, ...(r.asksPrivate ? { asksPrivate: true } : {}) });
      changed = true;
    }
    return changed;
  }

  function rebuild(): ContentState {
    const problems: ContentProblem[] = [...listProblems];
    const files: ParsedFile[] = [];
    for (const e of entries.values()) {
      problems.push(...e.problems);
      if (e.good) files.push(e.good);
    }
    if (![...entries.keys()].some((f) => contentKind(f) === 'site')) problems.push({ file: 'site.yaml', field: '', reason: 'missing' });
    const snapshot = buildSnapshot(files, problems);
    // A site.yaml that asks to be private but cannot be read keeps the site closed, whatever its last good copy said.
    const closedBy = [...entries].find(([, e]) => e.asksPrivate)?.[0];
    if (closedBy) snapshot.site = closedSite(snapshot.site, closedBy, problems);
    for (const p of problems) {
      const key = problemKey(p);
      if (!logged.has(key)) {
        logged.add(key);
        log(`content: ${p.file}${p.field ? ` ${p.field}` : ''}: ${p.reason}`);
      }
    }
    // Forget fixed problems so they are logged again if they come back.
    const current = new Set(problems.map(problemKey));
    for (const key of [...logged]) if (!current.has(key)) logged.delete(key);
    return { snapshot, problems, version: ++version, unavailable };
  }

  function refresh(): ContentState {
    if (scan() || !state) {
      state = rebuild();
      for (const l of listeners) l(state);
    }
    return state;
  }

  /** One watcher per folder, by path, with the inode it follows (a replaced folder is watched again). */
  const watchers = new Map<string, { ino: number; watcher: fs.FSWatcher }>();
  let poll: NodeJS.Timeout | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      // A folder that appeared (incidents/ made after start) gets its watcher with the refresh.
      guarded();
    }, 50);
  };
  let lastError: string | null = null;
  /** watch() and refresh() from a timer: an unexpected error is logged once and never stops the watching. */
  const guarded = (): void => {
    try {
      watch();
      refresh();
      lastError = null;
    } catch (e) {
      // Said once per distinct error (the poll retries every second); a stopped timer chain would freeze the page.
      const message = e instanceof Error ? e.message : String(e);
      if (message !== lastError) logBackgroundError(`content: reading ${dir} (still watching)`, e, log);
      lastError = message;
    }
  };
  const stopWatching = (folder: string): void => {
    watchers.get(folder)?.watcher.close();
    watchers.delete(folder);
  };
  /**
   * Watches the folder and its three content folders, each without recursion: Node's recursive watch on Linux
   * walks and stats every file at start (seconds for 100,000 incidents), while these four watchers cost nothing.
   */
  const watch = (): void => {
    for (const folder of [dir, ...contentFolders.map((f) => path.join(dir, f))]) {
      let ino: number | null = null;
      try {
        ino = fs.statSync(folder, { throwIfNoEntry: false })?.ino ?? null;
      } catch {
        // A link loop or no permission: not watched (the scan names the problem); watched again once it is fixed.
      }
      const current = watchers.get(folder);
      if (current && current.ino === ino) continue;
      stopWatching(folder);
      if (ino === null) continue;
      try {
        const watcher = fs.watch(folder, { persistent: false }, schedule);
        watcher.on('error', () => stopWatching(folder));
        watchers.set(folder, { ino, watcher });
      } catch {
        // Not watchable (gone meanwhile, or a file system without events): the poll still sees changes.
      }
    }
  };
  if (options.watch !== false) {
    watch();
    // Safety net for file systems where events are lost (network mounts, some containers).
    const tick = (): void => {
      const started = performance.now();
      guarded();
      if (closed) return;
      poll = setTimeout(tick, pollDelay(performance.now() - started));
      poll.unref();
    };
    poll = setTimeout(tick, 1000);
    poll.unref();
  }

  refresh();
  return {
    current: () => state!,
    refresh,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      for (const folder of [...watchers.keys()]) stopWatching(folder);
      if (poll) clearTimeout(poll);
      poll = null;
      if (timer) clearTimeout(timer);
    },
  };
}
