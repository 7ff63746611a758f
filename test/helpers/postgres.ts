// Databases of the tests' own on the machine's PostgreSQL (trust auth, as CI has it), created and dropped per test.
import pg from 'pg';

export const POSTGRES_BASE = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one statement as the server's administrator (create or drop a database). */
export async function adminSql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_BASE });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A new empty database named after `prefix`; `drop` removes it, connections and all. */
export async function createTestDatabase(prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  await adminSql(`create database ${name}`);
  return {
    name,
    url: Object.assign(new URL(POSTGRES_BASE), { pathname: `/${name}` }).href,
    drop: () => adminSql(`drop database if exists ${name} with (force)`),
  };
}

/** Host and port of the server, for a proxy in front of it. */
export function postgresAddress(): { host: string; port: number } {
  const u = new URL(POSTGRES_BASE);
  return { host: u.hostname, port: Number(u.port || 5432) };
}
