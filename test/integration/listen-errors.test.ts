// A port already in use stops the server with one line naming PORT and HOST, not a stack trace.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { startServer } from '../helpers/server.ts';

let fixture: Fixture | null = null;
let occupier: net.Server | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  if (occupier) await new Promise((r) => occupier!.close(r));
  fixture?.cleanup();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
  occupier = null;
  fixture = null;
});

describe('listening', () => {
  it('says in one line that the port is taken and exits 1', async () => {
    fixture = createFixture(Date.parse('2026-11-20T12:00:00Z'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaizen-listen-'));
    occupier = net.createServer();
    await new Promise<void>((r) => occupier!.listen(0, '127.0.0.1', r));
    const port = (occupier.address() as net.AddressInfo).port;
    const failure = await startServer({ contentDir: fixture.dir, dataDir, env: { PORT: String(port) } }).then(
      (s) => { void s.stop(); return null; },
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(failure).toContain('server exited with 1');
    const lines = failure!.split('\n').slice(1).filter((l) => l.trim() !== '');
    expect(lines.at(-1)).toBe(`PORT ${port} on 127.0.0.1 is already in use; stop the other server or set PORT.`);
    expect(failure).not.toMatch(/^\s+at /m);
    expect(failure).not.toContain('EADDRINUSE');
  });
});
