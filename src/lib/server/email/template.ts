// Renders every email the site sends, HTML and plain text, following the runbook's stakeholder template.
import type { Severity } from '../../status/vocabulary.ts';
import type { ConfirmationEmailData, EmailData, EmailLinks, IncidentEmailData, MaintenanceEmailData, PostmortemEmailData } from './email-data.ts';
import { reminderLayout, reminderSubject } from './reminder-email.ts';
import { layoutHtml, layoutText, type EmailLayout } from './template-html.ts';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** RFC 8058 one-click unsubscribe headers. */
  headers: Record<string, string>;
}

const severityColour: Record<Severity, string> = { P0: '#cf222e', P1: '#bc4c00', P2: '#9a6700', P3: '#59636e' };

/** The subject line alone (stored with the message for admin lists). */
export function emailSubject(data: EmailData): string {
  switch (data.kind) {
    case 'incident':
      // The runbook's "Subject: [P0/P1] Production Incident - Kaizen AI", with the incident's severity.
      return `[${data.severity}] Production Incident - ${data.siteName}`;
    case 'maintenance':
      return `${data.phase === 'started' ? '[Maintenance started]' : '[Scheduled maintenance]'} ${data.title} - ${data.siteName}`;
    case 'postmortem':
      return `[${data.severity}] Post-mortem published - ${data.siteName}`;
    case 'confirmation':
      return `Confirm your subscription - ${data.siteName}`;
    case 'already_subscribed':
      return `Your subscription - ${data.siteName}`;
    case 'reminder':
      return reminderSubject(data);
  }
}

function footer(data: EmailData, links: EmailLinks): EmailLayout['footer'] {
  if (data.kind === 'reminder') return { reason: `Runbook reminder for the ${data.siteName} status page admins.`, manage: null, unsubscribe: null };
  const pending = data.kind === 'confirmation';
  return {
    reason: pending
      ? `Someone asked to subscribe this address to ${data.siteName} status emails.`
      : `You receive this because you subscribed to ${data.siteName} status emails.`,
    manage: links.manage,
    unsubscribe: links.unsubscribe,
  };
}

function incidentLayout(d: IncidentEmailData): Omit<EmailLayout, 'footer'> {
  const details = [d.title, d.message.trim()];
  if (d.nextUpdate) details.push(`Next update: ${d.nextUpdate}`);
  return {
    subject: emailSubject(d),
    preheader: `${d.status}: ${d.title}`,
    heading: d.title,
    accent: d.status === 'Resolved' ? '#1f883d' : severityColour[d.severity],
    fields: [
      ['Severity', d.severity],
      ['Status', d.status],
      ['Impact', d.impact.length > 0 ? d.impact.join('\n') : 'No component affected'],
      ['ETA', d.eta],
    ],
    detailsTitle: 'Details:',
    details,
    action: { label: 'Incident page', url: d.url },
    signature: d.signature,
  };
}

function maintenanceLayout(d: MaintenanceEmailData): Omit<EmailLayout, 'footer'> {
  const status = d.phase === 'started' ? 'In progress' : 'Scheduled';
  const details = [d.title];
  if (d.message.trim() !== '') details.push(d.message.trim());
  return {
    subject: emailSubject(d),
    preheader: `${status}: ${d.title}, ${d.window}`,
    heading: d.title,
    accent: '#0969da',
    fields: [
      ['Maintenance', status],
      ['Window', d.window],
      ['Components', d.components.length > 0 ? d.components.join(', ') : 'None listed'],
    ],
    detailsTitle: 'Details:',
    details,
    action: { label: 'Maintenance page', url: d.url },
    signature: d.signature,
  };
}

function postmortemLayout(d: PostmortemEmailData): Omit<EmailLayout, 'footer'> {
  const details = [d.title];
  if (d.summary.trim() !== '') details.push(d.summary.trim());
  details.push('The post-mortem covers the timeline, the root cause, the impact and the action items.');
  return {
    subject: emailSubject(d),
    preheader: `Post-mortem: ${d.incidentTitle}`,
    heading: `Post-mortem: ${d.incidentTitle}`,
    accent: severityColour[d.severity],
    fields: [['Severity', d.severity], ['Status', 'Resolved'], ['Incident', d.incidentTitle]],
    detailsTitle: 'Details:',
    details,
    action: { label: 'Read the post-mortem', url: d.url },
    signature: d.signature,
  };
}

function confirmationLayout(d: ConfirmationEmailData, links: EmailLinks): Omit<EmailLayout, 'footer'> {
  const what = d.components === null ? 'every component' : d.components.join(', ');
  if (d.kind === 'already_subscribed') {
    return {
      subject: emailSubject(d), preheader: 'You are already subscribed.', heading: 'You are already subscribed', accent: '#1f883d',
      fields: [], detailsTitle: null,
      details: [`Someone asked to subscribe this address to ${d.siteName} status emails. It is already subscribed (to ${what}), so nothing changed.`, 'To choose components or unsubscribe, use the link below.'],
      action: { label: 'Manage your subscription', url: links.manage },
      signature: d.signature,
    };
  }
  return {
    subject: emailSubject(d), preheader: 'Confirm to receive incident emails.', heading: 'Confirm your subscription', accent: '#0969da',
    fields: [], detailsTitle: null,
    details: [
      `Someone, hopefully you, asked to receive ${d.siteName} incident and maintenance emails for ${what}.`,
      'Confirm with the button below; the link is valid for 7 days. If it was not you, ignore this email: nothing is sent until the address is confirmed.',
    ],
    action: { label: 'Confirm subscription', url: links.confirm },
    signature: d.signature,
  };
}

/** Renders one email for one recipient: subject, HTML, plain text and the List-Unsubscribe headers. */
export function renderEmail(data: EmailData, links: EmailLinks): RenderedEmail {
  const body =
    data.kind === 'incident' ? incidentLayout(data)
    : data.kind === 'maintenance' ? maintenanceLayout(data)
    : data.kind === 'postmortem' ? postmortemLayout(data)
    : data.kind === 'reminder' ? reminderLayout(data)
    : confirmationLayout(data, links);
  const layout: EmailLayout = { ...body, footer: footer(data, links) };
  return {
    subject: layout.subject,
    html: layoutHtml(layout),
    text: layoutText(layout),
    // A reminder goes to an admin account, not a list subscription: it is turned off in admin, not unsubscribed.
    headers: data.kind === 'reminder' ? {} : {
      'List-Unsubscribe': `<${links.unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
