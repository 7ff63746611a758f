// A batch renders each message once per language and fills in every recipient's link token: each copy must be
// exactly what rendering the email for that recipient gives, subject, HTML, text and headers alike.
import { describe, expect, it } from 'vitest';
import { locales } from '../../../../src/lib/i18n/locales.ts';
import { batchRenderer, LINK_TOKEN_BYTES } from '../../../../src/lib/server/email/batch-render.ts';
import { confirmationEmailData, incidentEmailData, maintenanceEmailData, postmortemEmailData } from '../../../../src/lib/server/email/compose.ts';
import { linksFor, type EmailData } from '../../../../src/lib/server/email/email-data.ts';
import { renderEmail } from '../../../../src/lib/server/email/template.ts';
import { randomToken } from '../../../../src/lib/server/ids.ts';
import { testContext } from '../../../helpers/email-db.ts';

const at = Date.UTC(2026, 11, 1, 12);
// A long message, so the plain text wraps, and a link of its own.
const message = `We are investigating elevated error rates on the public API. ${'Requests may fail or time out. '.repeat(8)}See [the API docs](https://docs.acme.test/api).`;
const update = { id: 'u1', at, status: 'investigating' as const, message, components: null };
const incident = {
  id: 'api-errors', source: 'admin' as const, title: 'API errors', severity: 'P1' as const, impactOverride: null, components: { api: 'partial_outage' as const },
  startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates: [update],
};
const maintenance = { id: 'db-upgrade', source: 'admin' as const, title: 'Database upgrade', components: ['api'], scheduledStart: at + 3_600_000, scheduledEnd: at + 7_200_000, updates: [], body: 'The **API** will be read-only.' };

const kinds: [string, EmailData][] = [
  ['incident', incidentEmailData(testContext, incident, update)],
  ['maintenance', maintenanceEmailData(testContext, maintenance, 'scheduled')],
  ['post-mortem', postmortemEmailData(testContext, incident, { id: 'pm', title: 'API errors post-mortem', body: '## Summary\n\nA bad deploy.\n\n## Impact\n\nErrors for 20 minutes.' })],
  ['confirmation', confirmationEmailData(testContext, 'confirmation', ['api'])],
  ['already subscribed', confirmationEmailData(testContext, 'already_subscribed', null)],
];

describe('batchRenderer', () => {
  it.each(kinds)('%s: every copy equals the email rendered for its recipient, in every language', (_, data) => {
    const renderer = batchRenderer();
    for (const locale of locales) {
      for (let i = 0; i < 3; i++) {
        const token = randomToken(LINK_TOKEN_BYTES);
        const { email } = renderer.copy('m1', data, locale, token);
        expect(email).toEqual(renderEmail(data, linksFor(testContext.baseUrl, token), locale));
        expect(email.html).toContain(token);
      }
    }
    // One template per language, however many recipients.
    expect(renderer.templates).toHaveLength(locales.length);
  });

  it('keeps messages apart: two messages in one batch make two templates', () => {
    const renderer = batchRenderer();
    const a = renderer.copy('m1', kinds[0]![1], 'en', randomToken(LINK_TOKEN_BYTES));
    const b = renderer.copy('m2', kinds[1]![1], 'en', randomToken(LINK_TOKEN_BYTES));
    expect([a.template, b.template]).toEqual([0, 1]);
    expect(b.email.subject).toContain('Database upgrade');
  });
});
