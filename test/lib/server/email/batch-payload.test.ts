// Stored batches: one copy of each rendered body with the link token cut out, expanded back byte for byte.
import { describe, expect, it } from 'vitest';
import { packBatch, unpackBatch } from '../../../../src/lib/server/email/batch-payload.ts';
import { incidentEmailData } from '../../../../src/lib/server/email/compose.ts';
import { linksFor } from '../../../../src/lib/server/email/email-data.ts';
import type { BatchEmail } from '../../../../src/lib/server/email/resend-client.ts';
import { renderEmail } from '../../../../src/lib/server/email/template.ts';
import { randomToken } from '../../../../src/lib/server/ids.ts';
import { testContext } from '../../../helpers/email-db.ts';

const at = Date.UTC(2026, 11, 1, 12);
const update = { id: 'u1', at, status: 'investigating' as const, message: 'We are investigating elevated error rates.', components: null };
const incident = {
  id: 'api-errors', source: 'admin' as const, title: 'API errors', severity: 'P1' as const, impactOverride: null, components: { api: 'partial_outage' as const },
  startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: [update],
};

function batch(n: number, message = update.message): { emails: BatchEmail[]; tokens: string[] } {
  const data = incidentEmailData(testContext, incident, { ...update, message });
  const emails: BatchEmail[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const token = randomToken(32);
    const r = renderEmail(data, linksFor(testContext.baseUrl, token), i % 3 === 0 ? 'de' : 'en');
    emails.push({ from: 'Acme <status@acme.test>', to: [`user${i}@example.com`], subject: r.subject, html: r.html, text: r.text, headers: r.headers });
    tokens.push(encodeURIComponent(token));
  }
  return { emails, tokens };
}

describe('packBatch', () => {
  it('expands to exactly the emails sent, in order, and stores each body once instead of a hundred times', () => {
    const { emails, tokens } = batch(100);
    const payload = packBatch(emails.map((_, i) => `row${i}`), emails, tokens);
    const stored = JSON.stringify(payload);
    expect(unpackBatch(JSON.parse(stored))).toEqual(emails);
    // Two languages: two bodies.
    expect(payload.bodies).toHaveLength(2);
    expect(stored.length).toBeLessThan(JSON.stringify(emails).length / 10);
    // No link token is left in a stored body: each lives only beside its own recipient.
    for (const t of tokens) expect(JSON.stringify(payload.bodies)).not.toContain(t);
  });

  it('stores the emails whole when a body already contains the placeholder, still expanding to them exactly', () => {
    const { emails, tokens } = batch(3, 'We are investigating \u0000kaizen-link-token\u0000.');
    const payload = packBatch(['a', 'b', 'c'], emails, tokens);
    expect(payload.emails).toBeDefined();
    expect(unpackBatch(JSON.parse(JSON.stringify(payload)))).toEqual(emails);
  });

  it('reads batches stored whole by earlier versions', () => {
    const { emails } = batch(2);
    expect(unpackBatch({ rowIds: ['a', 'b'], emails })).toEqual(emails);
  });
});
