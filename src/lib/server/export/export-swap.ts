// The copy on disk: STATIC_EXPORT_DIR is a symlink to a complete version in <dir>.versions/<n>. A new version is
// written aside (unchanged files hard-linked from the previous one), then the symlink is swapped with one rename,
// so readers never see half a copy. The previous version is kept for readers still inside it; older ones go.
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, type ExportManifest } from './export-manifest.ts';

/** Marks a versions folder as ours: only such a folder, and a symlink into it, are ever replaced or deleted. */
const MARKER = '.kaizen-status-export';

export class ExportDirError extends Error {}

export interface ExportLayout {
  /** The symlink readers use. */
  dir: string;
  versions: string;
}

export interface CurrentVersion {
  number: number;
  path: string;
  manifest: ExportManifest;
}

export function exportLayout(dir: string): ExportLayout {
  const abs = path.resolve(dir);
  return { dir: abs, versions: `${abs}.versions` };
}

function isEmptyDir(p: string): boolean {
  return fs.readdirSync(p).length === 0;
}

/** The version a symlink of ours points at, or null when it points elsewhere. */
function linkedVersion(layout: ExportLayout): number | null {
  const target = path.resolve(path.dirname(layout.dir), fs.readlinkSync(layout.dir));
  if (path.dirname(target) !== layout.versions) return null;
  const n = Number(path.basename(target));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * Checks the folder can be ours before anything is written: absent, an empty folder, or our own symlink.
 * Throws ExportDirError naming the path otherwise; never deletes a file it did not write.
 */
export function prepareExportDir(dir: string, setting = 'STATIC_EXPORT_DIR'): ExportLayout {
  const layout = exportLayout(dir);
  const stat = fs.lstatSync(layout.dir, { throwIfNoEntry: false });
  const refuse = (what: string): never => {
    throw new ExportDirError(`${setting}: ${layout.dir} ${what}; refusing to replace it. Point ${setting} at a new path (it becomes a symlink to ${layout.versions}/<n>) or empty that folder.`);
  };
  if (stat?.isSymbolicLink()) {
    if (linkedVersion(layout) === null) refuse(`is a symlink to ${fs.readlinkSync(layout.dir)}, not to a copy this server wrote`);
  } else if (stat?.isDirectory()) {
    if (!isEmptyDir(layout.dir)) refuse('is a folder with files this server did not write');
  } else if (stat) {
    refuse('is a file');
  }
  const vstat = fs.lstatSync(layout.versions, { throwIfNoEntry: false });
  if (vstat && (!vstat.isDirectory() || (!fs.existsSync(path.join(layout.versions, MARKER)) && !isEmptyDir(layout.versions)))) {
    throw new ExportDirError(`${setting}: ${layout.versions} exists and was not made by this server; refusing to write into it. Move it away or choose another ${setting}.`);
  }
  fs.mkdirSync(layout.versions, { recursive: true });
  fs.writeFileSync(path.join(layout.versions, MARKER), 'Versions of the static copy written by Kaizen Status; the newest is linked from the folder beside this one.\n');
  return layout;
}

/** The version the symlink points at, with its manifest; null before the first export. */
export function currentVersion(layout: ExportLayout): CurrentVersion | null {
  const stat = fs.lstatSync(layout.dir, { throwIfNoEntry: false });
  if (!stat?.isSymbolicLink()) return null;
  const n = linkedVersion(layout);
  if (n === null) return null;
  const p = path.join(layout.versions, String(n));
  try {
    return { number: n, path: p, manifest: JSON.parse(fs.readFileSync(path.join(p, MANIFEST_FILE), 'utf8')) as ExportManifest };
  } catch {
    return null;
  }
}

const pins = new Map<string, number>();

/** Keeps the current version from being deleted while a push reads it; call release() when done. */
export function pinCurrentVersion(layout: ExportLayout): (CurrentVersion & { release: () => void }) | null {
  const current = currentVersion(layout);
  if (!current) return null;
  pins.set(current.path, (pins.get(current.path) ?? 0) + 1);
  let released = false;
  return {
    ...current,
    release: () => {
      if (released) return;
      released = true;
      const left = (pins.get(current.path) ?? 1) - 1;
      if (left > 0) pins.set(current.path, left);
      else pins.delete(current.path);
    },
  };
}

/** A version being written; nothing is visible to readers until commit(). */
export interface VersionWriter {
  number: number;
  path: string;
  /** Writes the file, or hard-links it from the previous version when its digest is unchanged; true if written. */
  put(file: string, body: Buffer, sha256: string): boolean;
  /** Hard-links an unchanged file from the previous version without its bytes (off the event loop); false if impossible. */
  reuse(file: string): Promise<boolean>;
  /** Makes the version the current one (one rename); resolves once all but it and the previous one are deleted. */
  commit(): Promise<void>;
  /** Drops the unfinished version. */
  abort(): void;
}

function versionNumbers(layout: ExportLayout): number[] {
  return fs.readdirSync(layout.versions).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
}

/** Starts a new version after `previous` (what currentVersion returned). */
export function beginVersion(layout: ExportLayout, previous: CurrentVersion | null): VersionWriter {
  const number = Math.max(previous?.number ?? 0, ...versionNumbers(layout)) + 1;
  const final = path.join(layout.versions, String(number));
  const partial = `${final}.partial`;
  for (const name of fs.readdirSync(layout.versions)) if (name.endsWith('.partial')) fs.rmSync(path.join(layout.versions, name), { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  const dirs = new Set<string>();
  const ensureDir = (file: string): string => {
    const target = path.join(partial, file);
    const parent = path.dirname(target);
    if (!dirs.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      dirs.add(parent);
    }
    return target;
  };
  const link = (file: string): boolean => {
    if (!previous) return false;
    try {
      fs.linkSync(path.join(previous.path, file), ensureDir(file));
      return true;
    } catch {
      return false;
    }
  };
  return {
    number,
    path: partial,
    put(file, body, sha256) {
      if (previous?.manifest.files[file]?.sha256 === sha256 && link(file)) return false;
      fs.writeFileSync(ensureDir(file), body);
      return true;
    },
    async reuse(file) {
      if (!previous || previous.manifest.files[file] === undefined) return false;
      try {
        await fs.promises.link(path.join(previous.path, file), ensureDir(file));
        return true;
      } catch {
        return false;
      }
    },
    commit() {
      fs.renameSync(partial, final);
      const tmpLink = `${layout.dir}.${process.pid}.swap`;
      fs.rmSync(tmpLink, { force: true });
      fs.symlinkSync(path.relative(path.dirname(layout.dir), final), tmpLink);
      const stat = fs.lstatSync(layout.dir, { throwIfNoEntry: false });
      // An empty folder (checked by prepareExportDir) may be replaced; rename cannot replace a folder with a link.
      if (stat?.isDirectory() && !stat.isSymbolicLink()) fs.rmdirSync(layout.dir);
      fs.renameSync(tmpLink, layout.dir);
      // Off the event loop: an old version of a long archive is tens of thousands of files.
      const old = versionNumbers(layout).map((n) => [n, path.join(layout.versions, String(n))] as const)
        .filter(([n, p]) => n !== number && n !== previous?.number && !pins.has(p));
      return Promise.all(old.map(([, p]) => fs.promises.rm(p, { recursive: true, force: true }))).then(() => {});
    },
    abort() {
      fs.rmSync(partial, { recursive: true, force: true });
    },
  };
}
