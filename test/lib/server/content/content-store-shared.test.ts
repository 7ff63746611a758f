// Two stores over one folder (the site's and the email worker's) share parses, and never serve a stale one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContentStore, pollDelay, type ContentStore } from '../../../../src/lib/server/content/content-store.ts';

let dir: string;
let stores: ContentStore[];
let mtime: number;

function write(rel: string, text: string): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  mtime += 2;
  fs.utimesSync(file, mtime, mtime);
}

const incident = (title: string): string => `---\ntitle: ${title}\nseverity: P1\ncomponents: { api: major_outage }\nupdates:\n  - { at: 2026-11-20T10:00:00Z, status: investigating, message: Looking. }\n---\n`;
const open = (): ContentStore => {
  const s = openContentStore(dir, { watch: false, log: () => {} });
  stores.push(s);
  return s;
};
const titles = (s: ContentStore): string[] => s.current().snapshot.incidents.map((i) => i.title);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-shared-'));
  stores = [];
  mtime = Date.parse('2026-11-20T12:00:00Z') / 1000;
  write('site.yaml', 'name: Acme\nurl: https://status.acme.example\n');
  write('components.yaml', '- id: api\n  name: API\n');
  write('incidents/a.md', incident('First title'));
});

afterEach(() => {
  for (const s of stores) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('stores over the same folder', () => {
  it('both serve the folder, and each sees an edit (same length) made after the other parsed it', () => {
    const site = open();
    const worker = open();
    expect(titles(site)).toEqual(['First title']);
    expect(titles(worker)).toEqual(['First title']);
    write('incidents/a.md', incident('Other title'));
    worker.refresh();
    expect(titles(worker)).toEqual(['Other title']);
    site.refresh();
    expect(titles(site)).toEqual(['Other title']);
  });

  it('a file deleted and written again with the old length and time is read again, not taken from memory', () => {
    const site = open();
    fs.rmSync(path.join(dir, 'incidents/a.md'));
    site.refresh();
    expect(titles(site)).toEqual([]);
    const again = open();
    fs.writeFileSync(path.join(dir, 'incidents/a.md'), incident('Third title'));
    fs.utimesSync(path.join(dir, 'incidents/a.md'), mtime, mtime);
    again.refresh();
    site.refresh();
    expect(titles(again)).toEqual(['Third title']);
    expect(titles(site)).toEqual(['Third title']);
  });

  it('a problem in a file is reported by each store', () => {
    write('incidents/b.md', '---\nseverity: P1\nupdates: []\n---\n');
    const site = open();
    const worker = open();
    expect(site.current().problems.map((p) => p.file)).toEqual(['incidents/b.md', 'incidents/b.md']);
    expect(worker.current().problems).toEqual(site.current().problems);
  });
});

describe('pollDelay', () => {
  it('polls every second while a scan is cheap, and keeps a slow scan under 5 % of the time', () => {
    expect(pollDelay(3)).toBe(1000);
    expect(pollDelay(50)).toBe(1000);
    expect(pollDelay(200)).toBe(4000);
  });
});

describe('watching without recursion', () => {
  /** Waits until `check` holds (the watcher or the poll has acted); generous, for a busy machine. */
  async function until(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('sees an edited incident, a new maintenance folder and a changed site.yaml by itself', async () => {
    const s = openContentStore(dir, { log: () => {} });
    stores.push(s);
    write('incidents/a.md', incident('Edited while watched'));
    await until(() => titles(s).includes('Edited while watched'));
    write('maintenance/m.md', '---\ntitle: Database upgrade\ncomponents: [api]\nscheduled_start: 2026-11-21T10:00:00Z\nscheduled_end: 2026-11-21T11:00:00Z\n---\n');
    await until(() => s.current().snapshot.maintenance.map((m) => m.title).includes('Database upgrade'));
    write('site.yaml', 'name: Acme Renamed\nurl: https://status.acme.example\n');
    await until(() => s.current().snapshot.site.name === 'Acme Renamed');
  });
});
