// Emails in the subscriber's language: the words are German, the content (titles, messages, names) as written,
// and English stays exactly what it was, with or without other languages configured.
import { describe, expect, it } from 'vitest';
import { confirmationEmailData, incidentEmailData, maintenanceEmailData, postmortemEmailData, type SiteForEmail } from '../../../../src/lib/server/email/compose.ts';
import { linksFor } from '../../../../src/lib/server/email/email-data.ts';
import { renderEmail } from '../../../../src/lib/server/email/template.ts';
import type { Component, Incident, IncidentUpdate, Maintenance } from '../../../../src/lib/status/types.ts';

const t = (hhmm: string, day = '20'): number => Date.parse(`2026-11-${day}T${hhmm}:00Z`);
const component = (id: string, name: string): Component => ({ id, name, description: null, baseline: 'operational', groupId: null, position: 0 });
const site = { name: 'Kaizen AI', url: 'https://status.kaizen.example', description: '', timezone: 'Europe/London', supportUrl: null, emailSignature: 'Engineering Team', logo: null, showReliability: false };
const base = { components: [component('inference', 'Inference API')], baseUrl: 'https://status.kaizen.example' };
const english: SiteForEmail = { site, ...base };
const bilingual: SiteForEmail = { site: { ...site, languages: ['en', 'de'] }, ...base };
const links = linksFor(base.baseUrl, 'tok123');

const incident = (updates: IncidentUpdate[]): Incident => ({
  id: 'api-errors', source: 'admin', title: 'Elevated error rates', severity: 'P1', impactOverride: null,
  components: { inference: 'major_outage' }, startedAt: null, detectedAt: null, acknowledgedAt: null,
  mitigatedAt: null, falsePositive: false, repeatOf: null, body: '', updates,
});
const identified: IncidentUpdate = { id: 'u1', at: t('10:05'), status: 'identified', message: 'A bad deploy. Rolling back.', components: null };
const resolved: IncidentUpdate = { id: 'u2', at: t('11:15', '21'), status: 'resolved', message: 'Fixed.', components: null };

describe('incident email per language', () => {
  it('English is the same whether or not the site serves other languages', () => {
    for (const u of [identified, resolved]) {
      const all = u === resolved ? [resolved, identified] : [identified];
      const plain = renderEmail(incidentEmailData(english, incident(all), u, { now: u.at }), links);
      const withGerman = renderEmail(incidentEmailData(bilingual, incident(all), u, { now: u.at }), links, 'en');
      expect(withGerman).toEqual(plain);
    }
  });

  it('a German subscriber reads German words around the content as written', () => {
    const open = renderEmail(incidentEmailData(bilingual, incident([identified]), identified, { now: identified.at }), links, 'de');
    expect(open.subject).toBe('[P1] Störung im Produktivbetrieb - Kaizen AI: Elevated error rates');
    expect(open.html).toContain('<html lang="de">');
    expect(open.text).toContain('Schweregrad: P1');
    expect(open.text).toContain('Status: Wird behoben — Ursache gefunden');
    expect(open.text).toContain('Auswirkung: Inference API: Schwerer Ausfall');
    expect(open.text).toContain('Veröffentlicht 10:05 GMT am 20. Nov. 2026');
    expect(open.text).toContain('Nächstes Update bis 10:20 GMT');
    expect(open.text).toContain('A bad deploy. Rolling back.');
    expect(open.text).toContain('Abbestellen: https://status.kaizen.example/unsubscribe/tok123');
    const done = renderEmail(incidentEmailData(bilingual, incident([resolved, identified]), resolved, { now: resolved.at }), links, 'de');
    expect(done.text).toContain('Inference API: Betriebsbereit (zuvor Schwerer Ausfall)');
    expect(done.text).toContain('Behoben um 11:15 GMT (Dauer 1 T. 1 Std.)');
  });

  it('a language the email was not composed in falls back to English words, never a mix of broken fields', () => {
    const e = renderEmail(incidentEmailData(english, incident([identified]), identified, { now: identified.at }), links, 'de');
    expect(e.text).toContain('Status: Mitigating — cause identified');
    // The fixed labels still follow the reader.
    expect(e.text).toContain('Schweregrad: P1');
  });
});

describe('other emails per language', () => {
  it('maintenance window, post-mortem and confirmation in French', () => {
    const m: Maintenance = {
      id: 'db', source: 'admin', title: 'Database upgrade', scheduledStart: t('22:00'), scheduledEnd: t('23:00'),
      components: ['inference'], body: 'Short read-only period.', updates: [],
    } as unknown as Maintenance;
    const fr: SiteForEmail = { ...bilingual, site: { ...site, languages: ['en', 'fr'] } };
    const maintenance = renderEmail(maintenanceEmailData(fr, m, 'scheduled'), links, 'fr');
    expect(maintenance.subject).toBe('Maintenance planifiée - Kaizen AI : Database upgrade');
    expect(maintenance.text).toContain('Période: 20 nov. 2026, 22:00 GMT au 20 nov. 2026, 23:00 GMT');
    const pm = renderEmail(postmortemEmailData(fr, { id: 'api-errors', title: 'Elevated error rates', severity: 'P1' }, { id: 'pm', title: 'PM', body: '## Summary\nA deploy.' }), links, 'fr');
    expect(pm.text).toContain('Lire le post-mortem: ');
    const confirm = renderEmail(confirmationEmailData(fr, 'confirmation', null), links, 'fr');
    expect(confirm.subject).toBe('Confirmez votre abonnement - Kaizen AI');
    expect(confirm.text).toContain('tous les composants');
  });
});
