// The invitation to the admin: what the email says (pure), from the site, the role and the one-time link.
import { roleDescriptions, roleLabels, type Role } from '../../status/roles.ts';
import { emailCommon, type SiteForEmail } from './compose.ts';
import type { InviteEmailData } from './email-data.ts';
import type { EmailLayout } from './template-html.ts';

/** The stored data of one invitation; `url` is the one-time link to choose a password. */
export function inviteEmailData(ctx: SiteForEmail, role: Role, invitedBy: string, url: string, validHours: number): InviteEmailData {
  return { kind: 'invite', ...emailCommon(ctx), role: roleLabels[role], roleDescription: roleDescriptions[role], invitedBy, url, validHours };
}

export function inviteSubject(d: InviteEmailData): string {
  return `You are invited to the ${d.siteName} status page admin`;
}

/** The body, in the same layout as every other email. */
export function inviteLayout(d: InviteEmailData): Omit<EmailLayout, 'footer'> {
  return {
    subject: inviteSubject(d),
    preheader: `${d.invitedBy} invited you as ${d.role.toLowerCase()}. Choose a password within ${d.validHours} hours.`,
    heading: 'Choose a password to join',
    accent: '#0969da',
    fields: [
      ['Invited by', d.invitedBy],
      ['Role', `${d.role}: ${d.roleDescription}`],
      ['Link valid', `${d.validHours} hours, once`],
    ],
    detailsTitle: null,
    details: ['The link works once. If it has expired, ask an admin for a new one.'],
    action: { label: 'Choose a password', url: d.url },
    signature: d.signature,
  };
}
