// Generated content for benchmarks: 20 components in 4 groups, open incidents and a long archive.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const HOUR = 3_600_000;
const statuses = ['degraded_performance', 'partial_outage', 'major_outage'] as const;
const severities = ['P0', 'P1', 'P2', 'P3'] as const;

/** Writes a content directory; returns its path. Deterministic for a given `now` and counts; incidents last 20 min to 4 h. */
export function generateContent(options: { now: number; pastIncidents: number; openIncidents: number }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-bench-'));
  fs.mkdirSync(path.join(dir, 'incidents'));
  fs.writeFileSync(path.join(dir, 'site.yaml'), 'name: Bench Cloud\nurl: http://localhost:4321\ndescription: Benchmark content\ntimezone: Europe/London\n');
  const ids: string[] = [];
  let yaml = '';
  for (let g = 0; g < 4; g++) {
    yaml += `- id: group-${g}\n  name: Group ${g}\n  components:\n`;
    for (let c = 0; c < 5; c++) {
      const id = `svc-${g}-${c}`;
      ids.push(id);
      yaml += `    - { id: ${id}, name: Service ${g}.${c}, description: Component number ${c} of group ${g} }\n`;
    }
  }
  fs.writeFileSync(path.join(dir, 'components.yaml'), yaml);
  const write = (id: string, start: number, duration: number | null, i: number): void => {
    const sev = severities[i % 4]!;
    const comp = ids[(i * 7) % ids.length]!;
    const updates = [`  - { at: ${iso(start + 5 * 60_000)}, status: investigating, message: "We are investigating reports of errors on ${comp}." }`];
    if (duration !== null) updates.push(`  - { at: ${iso(start + duration)}, status: resolved, message: "Issue has been resolved. All systems operational." }`);
    fs.writeFileSync(path.join(dir, 'incidents', `${id}.md`), `---\ntitle: Incident ${i} on ${comp}\nseverity: ${sev}\ncomponents: { ${comp}: ${statuses[i % 3]} }\ndetected: ${iso(start)}\nupdates:\n${updates.join('\n')}\n---\n`);
  };
  // The last 90 days hold the same 30 incidents whatever the archive size; the rest is older history,
  // so growing the archive measures the archive, not a busier quarter.
  const recent = Math.min(30, options.pastIncidents);
  const older = options.pastIncidents - recent;
  for (let i = 0; i < options.pastIncidents; i++) {
    const start = i < recent
      ? options.now - 6 * HOUR - (i * 85 * 24 * HOUR) / recent
      : options.now - 100 * 24 * HOUR - ((i - recent) * 1000 * 24 * HOUR) / Math.max(1, older);
    write(`past-${String(i).padStart(5, '0')}`, start, (20 + (i % 12) * 20) * 60_000, i);
  }
  for (let i = 0; i < options.openIncidents; i++) write(`open-${i}`, options.now - (i + 1) * 20 * 60_000, null, i);
  return dir;
}
