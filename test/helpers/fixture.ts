// Writes a content directory whose times are relative to an injected `now`, so tests never depend on today.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export interface Fixture {
  dir: string;
  write: (file: string, text: string) => void;
  remove: (file: string) => void;
  cleanup: () => void;
}

export function createFixture(now: number): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-content-'));
  const write = (file: string, text: string): void => {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  };
  write('site.yaml', [
    'name: Acme Cloud',
    'url: https://status.acme.test',
    'description: Status of Acme Cloud',
    'timezone: UTC',
    'support_url: https://support.acme.test',
  ].join('\n'));
  write('components.yaml', `
- id: core
  name: Core
  components:
    - { id: api, name: Public API, description: REST endpoints }
    - { id: dashboard, name: Dashboard }
- { id: docs, name: Documentation }
`);
  write('incidents/open-api-errors.md', `---
title: Elevated API error rates
severity: P1
components:
  api: partial_outage
detected: ${iso(now - 40 * MINUTE)}
updates:
  - at: ${iso(now - 35 * MINUTE)}
    status: investigating
    message: We are investigating reports of elevated API error rates.
  - at: ${iso(now - 10 * MINUTE)}
    status: identified
    message: "We have identified the cause as a **bad deploy**. Working on mitigation. ETA: 30 minutes"
---
`);
  write('incidents/old-dashboard-outage.md', `---
title: Dashboard unavailable
severity: P0
components:
  dashboard: major_outage
started: ${iso(now - 50 * HOUR)}
detected: ${iso(now - 50 * HOUR + 5 * MINUTE)}
updates:
  - at: ${iso(now - 50 * HOUR + 10 * MINUTE)}
    status: investigating
    message: We are investigating reports of the dashboard not loading.
  - at: ${iso(now - 48 * HOUR)}
    status: resolved
    message: Issue has been resolved. All systems operational.
---
Root cause was an expired certificate.
`);
  write('postmortems/old-dashboard-outage.md', `---
incident: old-dashboard-outage
title: Dashboard outage post-mortem
published: ${iso(now - 30 * HOUR)}
---
## Summary
The dashboard was down.
`);
  write('maintenance/db-upgrade.md', `---
title: Database upgrade
components: [api]
scheduled_start: ${iso(now + 24 * HOUR)}
scheduled_end: ${iso(now + 26 * HOUR)}
---
We will upgrade the database.
`);
  return {
    dir,
    write,
    remove: (file) => fs.rmSync(path.join(dir, file), { force: true }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
