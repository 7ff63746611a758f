import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContentStore, type ContentStore } from '../../../../src/lib/server/content/content-store.ts';

const incidentFile = 'incidents/2026-11-20-api.md';
const incidentText = (title: string): string =>
  `---\ntitle: ${title}\nseverity: P1\ncomponents:\n  api: major_outage\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Looking.\n---\n`;
const brokenIncident = '---\nseverity: P1\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Looking.\n---\n';

let dir: string;
let store: ContentStore | null;
let logged: string[];
// File times are set explicitly, moving forward 2 s per write, so changes are seen whatever the clock or file system.
let mtime: number;

function write(rel: string, text: string): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  mtime += 2;
  fs.utimesSync(file, mtime, mtime);
}

function open(): ContentStore {
  store = openContentStore(dir, { watch: false, log: (line) => logged.push(line) });
  return store;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-store-'));
  logged = [];
  mtime = Date.parse('2026-11-20T12:00:00Z') / 1000;
  store = null;
  write('site.yaml', 'name: Acme\nurl: https://status.acme.example\n');
  write('components.yaml', '- id: api\n  name: API\n');
  write(incidentFile, incidentText('API errors'));
});

afterEach(() => {
  store?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const titles = (s: ContentStore): string[] => s.current().snapshot.incidents.map((i) => i.title);

describe('openContentStore', () => {
  it('serves the directory as it is on open', () => {
    const s = open();
    expect(s.current().problems).toEqual([]);
    expect(titles(s)).toEqual(['API errors']);
    expect(logged).toEqual([]);
  });

  it('picks up an edited file on refresh()', () => {
    const s = open();
    write(incidentFile, incidentText('API errors (resolved soon)'));
    expect(titles(s)).toEqual(['API errors']);
    s.refresh();
    expect(titles(s)).toEqual(['API errors (resolved soon)']);
  });

  it('a file that becomes invalid keeps its last good version, and the problem is reported', () => {
    const s = open();
    write(incidentFile, brokenIncident);
    const state = s.refresh();
    expect(titles(s)).toEqual(['API errors']);
    expect(state.problems).toEqual([{ file: incidentFile, field: 'title', reason: 'title is required' }]);
  });

  it('a new file that was never valid is reported and not served', () => {
    const s = open();
    write('incidents/2026-11-21-new.md', brokenIncident);
    const state = s.refresh();
    expect(state.snapshot.incidents.map((i) => i.id)).toEqual(['2026-11-20-api']);
    expect(state.problems).toContainEqual({ file: 'incidents/2026-11-21-new.md', field: 'title', reason: 'title is required' });
  });

  it('deleting a file removes what it described', () => {
    const s = open();
    fs.rmSync(path.join(dir, incidentFile));
    s.refresh();
    expect(titles(s)).toEqual([]);
  });

  it('deleting a broken file clears its problem', () => {
    const s = open();
    write(incidentFile, brokenIncident);
    s.refresh();
    fs.rmSync(path.join(dir, incidentFile));
    expect(s.refresh().problems).toEqual([]);
  });

  it('logs a new problem once, however many refreshes and rewrites see it', () => {
    const s = open();
    write(incidentFile, brokenIncident);
    s.refresh();
    s.refresh();
    write(incidentFile, brokenIncident + '\n');
    s.refresh();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(incidentFile);
    expect(logged[0]).toContain('title');
    expect(logged[0]).toContain('title is required');
  });

  it('logs a problem again if it comes back after being fixed', () => {
    const s = open();
    write(incidentFile, brokenIncident);
    s.refresh();
    write(incidentFile, incidentText('Fixed'));
    s.refresh();
    expect(s.current().problems).toEqual([]);
    expect(titles(s)).toEqual(['Fixed']);
    write(incidentFile, brokenIncident);
    s.refresh();
    expect(logged).toHaveLength(2);
    expect(titles(s)).toEqual(['Fixed']);
  });

  it('a cross-file problem (unknown component) is reported on refresh and logged once', () => {
    const s = open();
    write('components.yaml', '- id: web\n  name: Web\n');
    s.refresh();
    s.refresh();
    expect(s.current().problems).toEqual([{ file: incidentFile, field: 'components.api', reason: "unknown component id 'api'" }]);
    expect(s.current().snapshot.incidents).toEqual([]);
    expect(logged).toHaveLength(1);
  });

  it('the version increases only when something changed, and listeners hear of it', () => {
    const s = open();
    const heard: number[] = [];
    const off = s.onChange((state) => heard.push(state.version));
    const v0 = s.current().version;
    expect(s.refresh().version).toBe(v0);
    write(incidentFile, incidentText('Changed'));
    const v1 = s.refresh().version;
    expect(v1).toBeGreaterThan(v0);
    expect(heard).toEqual([v1]);
    off();
    write(incidentFile, incidentText('Changed again'));
    s.refresh();
    expect(heard).toEqual([v1]);
  });

  describe('when the folder itself goes away', () => {
    const clock = { t: Date.parse('2026-11-20T12:00:00Z') };
    const openWithClock = (): ContentStore => {
      store = openContentStore(dir, { watch: false, log: (line) => logged.push(line), now: () => clock.t });
      return store;
    };

    it('keeps the last good snapshot when the folder is renamed away, says so once, and takes the folder back', () => {
      const s = openWithClock();
      const moved = `${dir}-moved`;
      fs.renameSync(dir, moved);
      clock.t += 5000;
      s.refresh();
      s.refresh();
      expect(titles(s)).toEqual(['API errors']);
      expect(s.current().snapshot.site.name).toBe('Acme');
      expect(s.current().unavailable).toEqual({ since: clock.t, reason: `${dir} does not exist` });
      expect(logged.filter((l) => l.includes('does not exist'))).toHaveLength(1);
      expect(logged[0]).toContain('serving the last good copy (3 files)');
      fs.renameSync(moved, dir);
      clock.t += 10_000;
      s.refresh();
      expect(s.current().unavailable).toBeNull();
      expect(logged.at(-1)).toBe(`content: ${dir} is back after 10 s`);
      expect(titles(s)).toEqual(['API errors']);
    });

    it('keeps the last good snapshot when every file is deleted, and serves the new files once some are back', () => {
      const s = openWithClock();
      for (const f of ['site.yaml', 'components.yaml', incidentFile]) fs.rmSync(path.join(dir, f));
      s.refresh();
      expect(titles(s)).toEqual(['API errors']);
      expect(s.current().unavailable?.reason).toBe(`${dir} holds no content files`);
      write('site.yaml', 'name: Acme Again\nurl: https://status.acme.example\n');
      write('components.yaml', '- id: api\n  name: API\n');
      s.refresh();
      expect(s.current().unavailable).toBeNull();
      expect(s.current().snapshot.site.name).toBe('Acme Again');
      // The incident file really is gone now: a folder with files in it is an edit, not an accident.
      expect(titles(s)).toEqual([]);
    });

    it('still treats deleting one file as an edit', () => {
      const s = openWithClock();
      fs.rmSync(path.join(dir, incidentFile));
      s.refresh();
      expect(titles(s)).toEqual([]);
      expect(s.current().unavailable).toBeNull();
    });

    it('keeps the last good snapshot when the folder is replaced by a file or a link loop', () => {
      const s = openWithClock();
      const moved = `${dir}-moved`;
      fs.renameSync(dir, moved);
      fs.writeFileSync(dir, 'not a folder');
      expect(s.refresh().unavailable?.reason).toBe(`${dir} is not a folder`);
      expect(titles(s)).toEqual(['API errors']);
      fs.rmSync(dir);
      fs.symlinkSync(dir, dir);
      s.refresh();
      expect(titles(s)).toEqual(['API errors']);
      expect(s.current().unavailable).not.toBeNull();
      fs.rmSync(dir);
      fs.renameSync(moved, dir);
      expect(s.refresh().unavailable).toBeNull();
      expect(titles(s)).toEqual(['API errors']);
    });

    it('starts from an empty folder with the defaults and no outage (nothing good to keep)', () => {
      for (const f of ['site.yaml', 'components.yaml', incidentFile]) fs.rmSync(path.join(dir, f));
      const s = openWithClock();
      expect(s.current().unavailable).toBeNull();
      expect(s.current().snapshot.site.name).toBe('Status');
    });
  });
});

describe('files that must not be parsed', () => {
  const huge = (title: string): string => incidentText(title) + `${'All hands on deck. '.repeat(2 * 1024 * 1024 / 19)}\n`;
  const latin1 = (title: string): Buffer => {
    const [before, after] = incidentText(title).split('Looking.');
    return Buffer.concat([Buffer.from(`${before}Caf`), Buffer.from([0xe9]), Buffer.from(after!)]);
  };
  const loopReason = 'symbolic link loop: skipped until the link points to a real file or folder';

  it('a new file over 1 MB is named with its size and the limit, and not served; the rest is', () => {
    const s = open();
    write('incidents/huge.md', huge('Huge incident'));
    const state = s.refresh();
    expect(titles(s)).toEqual(['API errors']);
    expect(state.problems).toEqual([{ file: 'incidents/huge.md', field: '', reason: expect.stringMatching(/^2\.0 MB \(\d+ bytes\) is over the 1\.0 MB limit for a content file: not read until it is smaller$/) }]);
    expect(logged.join('\n')).toContain('incidents/huge.md');
  });

  it('a file that grows over the limit keeps its last good version, and is read again once it is smaller', () => {
    const s = open();
    write(incidentFile, huge('API errors, now huge'));
    expect(titles(s.refresh() && s)).toEqual(['API errors']);
    expect(s.current().problems).toHaveLength(1);
    write(incidentFile, incidentText('API errors, trimmed'));
    s.refresh();
    expect(titles(s)).toEqual(['API errors, trimmed']);
    expect(s.current().problems).toEqual([]);
  });

  it('invalid UTF-8 is named with its offset and line, and the file is not loaded with replacement characters', () => {
    const s = open();
    const file = path.join(dir, 'incidents/latin1.md');
    fs.writeFileSync(file, latin1('Latin-1 file'));
    const state = s.refresh();
    expect(titles(s)).toEqual(['API errors']);
    expect(state.problems).toEqual([{ file: 'incidents/latin1.md', field: '', reason: expect.stringMatching(/^not valid UTF-8 \(first bad byte at offset \d+, line 9\): not loaded until it is saved as UTF-8$/) }]);
    expect(JSON.stringify(state.snapshot)).not.toContain('\uFFFD');
  });

  it('a symbolic link loop in a file and in a folder is named and skipped; its last good version stays; other edits still load', () => {
    const s = open();
    write('maintenance/m.md', '---\ntitle: Database upgrade\ncomponents: [api]\nscheduled_start: 2026-11-21T10:00:00Z\nscheduled_end: 2026-11-21T11:00:00Z\n---\n');
    s.refresh();
    fs.rmSync(path.join(dir, incidentFile));
    fs.symlinkSync('loop-b.md', path.join(dir, incidentFile));
    fs.symlinkSync(path.basename(incidentFile), path.join(dir, 'incidents/loop-b.md'));
    fs.rmSync(path.join(dir, 'maintenance'), { recursive: true });
    fs.symlinkSync('maintenance-again', path.join(dir, 'maintenance'));
    fs.symlinkSync('maintenance', path.join(dir, 'maintenance-again'));
    write('incidents/new.md', incidentText('New one'));
    const state = s.refresh();
    expect(state.problems).toEqual([
      { file: 'maintenance', field: '', reason: loopReason },
      { file: incidentFile, field: '', reason: loopReason },
      { file: 'incidents/loop-b.md', field: '', reason: loopReason },
    ]);
    expect(titles(s).sort()).toEqual(['API errors', 'New one']);
    expect(state.snapshot.maintenance).toEqual([]);
    const v = state.version;
    expect(s.refresh().version).toBe(v);
    for (const f of ['maintenance', 'maintenance-again', incidentFile, 'incidents/loop-b.md']) fs.rmSync(path.join(dir, f));
    write(incidentFile, incidentText('API errors, back'));
    expect(s.refresh().problems).toEqual([]);
    expect(titles(s).sort()).toEqual(['API errors, back', 'New one']);
  });

  it('keeps watching after a folder becomes a link loop, and sees edits to other files', async () => {
    const s = openContentStore(dir, { log: (line) => logged.push(line) });
    store = s;
    fs.symlinkSync('postmortems', path.join(dir, 'maintenance'));
    fs.symlinkSync('maintenance', path.join(dir, 'postmortems'));
    fs.symlinkSync('..', path.join(dir, 'incidents/parent'));
    await until(() => s.current().problems.some((p) => p.file === 'maintenance' && p.reason === loopReason));
    write(incidentFile, incidentText('Edited after the loop'));
    await until(() => titles(s).includes('Edited after the loop'));
    write('incidents/later.md', incidentText('Added after the loop'));
    await until(() => titles(s).includes('Added after the loop'));
  });
});

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 25));
  }
}
