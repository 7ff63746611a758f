// The HTML shell of every email: tables and inline styles for Gmail and Outlook, a dark variant where clients allow it.
import type { Locale } from '../../i18n/locales.ts';
import { translate } from '../../i18n/translate.ts';

/** Rich content for both parts: HTML already sanitized (or escaped here), and its plain text. */
export interface EmailBlock {
  html: string;
  text: string;
}

export interface EmailLayout {
  subject: string;
  /** Hidden inbox preview line; also the first line of the text part. */
  preheader: string;
  heading: string;
  /** Colour of the accent bar and the status badge (severity, resolved or kind). */
  accent: string;
  /** Shown as a badge above the heading ("Mitigating — cause identified"). */
  badge?: string;
  /** Label and value rows; an empty label makes the value a line of its own ("Resolved at 11:15 GMT …"). */
  fields: [label: string, value: string][];
  detailsTitle: string | null;
  /** Paragraphs of plain text (line breaks kept), or rich blocks. */
  details: (string | EmailBlock)[];
  action: { label: string; url: string } | null;
  signature: string;
  footer: { reason: string; manage: string | null; unsubscribe: string | null };
  /** The site's name and logo at the top of the email (renderEmail adds it to every email). */
  brand?: { name: string; logoUrl: string | null; url: string };
  /** The recipient's interface language for the fixed words (footer links); English without it. */
  locale?: Locale;
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Only http(s) links are ever put in an href. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : '#';
}

const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const text = 'color:#1f2328;';
const muted = 'color:#59636e;';

// Clients that honour prefers-color-scheme (Apple Mail, Outlook apps) or Outlook.com's [data-ogsc] get the dark colours.
// The logo keeps a white plate in both, so a dark logo stays visible; the badge keeps its colour and white text.
const darkRules = `
  .k-bg { background-color:#0d1117 !important; }
  .k-card { background-color:#161b22 !important; border-color:#30363d !important; }
  .k-text { color:#e6edf3 !important; }
  .k-muted { color:#9198a1 !important; }
  .k-link { color:#4493f8 !important; }
  .k-button { background-color:#1f6feb !important; color:#ffffff !important; }
  .k-code { background-color:#262c36 !important; color:#e6edf3 !important; }
  .k-rule { border-color:#3d444d !important; }`;
const darkCss = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {${darkRules}
}
${darkRules.trim().split('\n').map((r) => `[data-ogsc] ${r.trim()}`).join('\n')}
`;

const paragraph = (p: string | EmailBlock): string => typeof p === 'string'
  ? `<p class="k-text" style="margin:0 0 12px;${font}font-size:15px;line-height:22px;${text}">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`
  : p.html;

/** Small muted lines (when it was posted, how long it has lasted, the next update). */
export function metaBlock(lines: readonly string[]): EmailBlock {
  return {
    html: `<p class="k-muted" style="margin:4px 0 12px;${font}font-size:14px;line-height:21px;${muted}">${lines.map(escapeHtml).join('<br>')}</p>`,
    text: lines.join('\n'),
  };
}

/** A small heading inside the details (one per update when an email carries several). */
export function subheadingBlock(title: string): EmailBlock {
  return {
    html: `<p class="k-muted" style="margin:16px 0 4px;${font}font-size:13px;line-height:18px;font-weight:600;${muted}">${escapeHtml(title)}</p>`,
    text: title,
  };
}

function fieldRows(fields: EmailLayout['fields']): string {
  return fields
    .map(([label, value]) => label === ''
      ? `<tr><td class="k-text" colspan="2" style="padding:4px 0;${font}font-size:14px;line-height:20px;${text}font-weight:600;">${escapeHtml(value)}</td></tr>`
      : `<tr>
<td class="k-muted" valign="top" style="padding:4px 16px 4px 0;${font}font-size:14px;line-height:20px;${muted}white-space:nowrap;">${escapeHtml(label)}:</td>
<td class="k-text" valign="top" style="padding:4px 0;${font}font-size:14px;line-height:20px;${text}font-weight:600;">${escapeHtml(value).replace(/\n/g, '<br>')}</td>
</tr>`)
    .join('\n');
}

function brandHtml(b: NonNullable<EmailLayout['brand']>): string {
  const logo = b.logoUrl
    ? `<td style="padding:0 10px 0 0;" valign="middle"><div style="background-color:#ffffff;border-radius:6px;padding:3px;"><img src="${escapeHtml(safeUrl(b.logoUrl))}" alt="" height="28" style="display:block;height:28px;width:auto;max-width:160px;border:0;"></div></td>`
    : '';
  return `<tr><td class="k-rule" style="padding:16px 28px 14px;border-bottom:1px solid #d1d9e0;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${logo}<td valign="middle">
<a class="k-text" href="${escapeHtml(safeUrl(b.url))}" style="${font}font-size:16px;line-height:22px;font-weight:700;${text}text-decoration:none;">${escapeHtml(b.name)}</a><span class="k-muted" style="${font}font-size:14px;line-height:22px;${muted}">&nbsp;&nbsp;Status</span>
</td></tr></table>
</td></tr>`;
}

function footerHtml(f: EmailLayout['footer'], locale: Locale): string {
  const links = [
    f.manage ? `<a class="k-link" href="${escapeHtml(safeUrl(f.manage))}" style="color:#0969da;">${escapeHtml(translate(locale, 'email.manage'))}</a>` : '',
    f.unsubscribe ? `<a class="k-link" href="${escapeHtml(safeUrl(f.unsubscribe))}" style="color:#0969da;">${escapeHtml(translate(locale, 'email.unsubscribe'))}</a>` : '',
  ].filter(Boolean).join(' &middot; ');
  return `<p class="k-muted" style="margin:0;${font}font-size:12px;line-height:18px;${muted}">${escapeHtml(f.reason)}${links ? `<br>${links}` : ''}</p>`;
}

// Padding after the preheader keeps clients from pulling body text into the inbox preview.
const previewPad = '&#8199;&#65279;&#847; '.repeat(40);

/** The complete HTML document of one email. */
export function layoutHtml(l: EmailLayout): string {
  const action = l.action
    ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px;"><tr><td class="k-button" style="background-color:#0969da;border-radius:6px;">
<a class="k-button" href="${escapeHtml(safeUrl(l.action.url))}" style="display:inline-block;padding:10px 18px;${font}font-size:15px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(l.action.label)}</a>
</td></tr></table>
<p class="k-muted" style="margin:0 0 16px;${font}font-size:12px;line-height:18px;${muted}word-break:break-all;">${escapeHtml(l.action.url)}</p>`
    : '';
  const details = l.details.length > 0
    ? `${l.detailsTitle ? `<p class="k-text" style="margin:16px 0 6px;${font}font-size:14px;font-weight:700;${text}">${escapeHtml(l.detailsTitle)}</p>` : ''}${l.details.map(paragraph).join('\n')}`
    : '';
  const badge = l.badge
    ? `<p style="margin:0 0 10px;"><span style="display:inline-block;padding:3px 10px;border-radius:12px;background-color:${l.accent};color:#ffffff;${font}font-size:12px;line-height:18px;font-weight:600;">${escapeHtml(l.badge)}</span></p>\n`
    : '';
  return `<!doctype html>
<html lang="${l.locale ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(l.subject)}</title>
<style>${darkCss}</style>
</head>
<body class="k-bg" style="margin:0;padding:0;background-color:#f6f8fa;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(l.preheader)}${previewPad}</div>
<table role="presentation" class="k-bg" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f6f8fa;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" class="k-card" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #d1d9e0;border-radius:8px;">
<tr><td style="height:6px;line-height:6px;font-size:0;background-color:${l.accent};border-radius:8px 8px 0 0;">&nbsp;</td></tr>
${l.brand ? brandHtml(l.brand) : ''}
<tr><td style="padding:22px 28px 8px;">
${badge}<h1 class="k-text" style="margin:0 0 16px;${font}font-size:20px;line-height:28px;${text}">${escapeHtml(l.heading)}</h1>
${l.fields.length > 0 ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px;">\n${fieldRows(l.fields)}\n</table>` : ''}
${details}
${action}
<p class="k-text" style="margin:16px 0 16px;${font}font-size:15px;line-height:22px;${text}">${escapeHtml(l.signature)}</p>
</td></tr>
<tr><td class="k-card" style="padding:16px 28px 20px;border-top:1px solid #d1d9e0;">
${footerHtml(l.footer, l.locale ?? 'en')}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}

/** The plain-text part: the preview line, then the same content in the runbook's layout. */
export function layoutText(l: EmailLayout): string {
  const lines: string[] = [l.preheader, ''];
  if (l.fields.length === 0) lines.push(l.heading, '');
  for (const [label, value] of l.fields) lines.push(label === '' ? value : `${label}: ${value}`);
  if (l.fields.length > 0) lines.push('');
  if (l.details.length > 0) {
    if (l.detailsTitle) lines.push(l.detailsTitle);
    lines.push(l.details.map((d) => (typeof d === 'string' ? d : d.text)).filter((d) => d.trim() !== '').join('\n\n'), '');
  }
  lines.push(l.signature, '');
  if (l.action) lines.push(`${l.action.label}: ${l.action.url}`, '');
  lines.push('--', l.footer.reason);
  if (l.footer.manage) lines.push(`${translate(l.locale ?? 'en', 'email.manage')}: ${l.footer.manage}`);
  if (l.footer.unsubscribe) lines.push(`${translate(l.locale ?? 'en', 'email.unsubscribe')}: ${l.footer.unsubscribe}`);
  return `${lines.join('\n')}\n`;
}
