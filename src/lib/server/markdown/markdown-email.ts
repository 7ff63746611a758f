// Markdown for the HTML part of an email: the site's sanitized HTML, then inline styles and absolute links.
import sanitizeHtml from 'sanitize-html';
import { guardRender, plainTextHtml } from './markdown-guard.ts';
import { renderMarkdown } from './markdown.ts';

const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const mono = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;";
const body = `${font}font-size:15px;line-height:22px;color:#1f2328;`;

/** Inline styles per tag (Gmail and Outlook ignore most stylesheets) and the classes the dark variant recolours. */
const styles: Record<string, { style: string; className: string }> = {
  p: { style: `margin:0 0 12px;${body}`, className: 'k-text' },
  h2: { style: `margin:20px 0 8px;${font}font-size:17px;line-height:24px;font-weight:600;color:#1f2328;`, className: 'k-text' },
  h3: { style: `margin:16px 0 8px;${font}font-size:16px;line-height:22px;font-weight:600;color:#1f2328;`, className: 'k-text' },
  h4: { style: `margin:16px 0 6px;${font}font-size:15px;line-height:22px;font-weight:600;color:#1f2328;`, className: 'k-text' },
  h5: { style: `margin:12px 0 6px;${font}font-size:14px;line-height:20px;font-weight:600;color:#1f2328;`, className: 'k-text' },
  h6: { style: `margin:12px 0 6px;${font}font-size:14px;line-height:20px;font-weight:600;color:#59636e;`, className: 'k-muted' },
  ul: { style: `margin:0 0 12px;padding:0 0 0 24px;${body}`, className: 'k-text' },
  ol: { style: `margin:0 0 12px;padding:0 0 0 24px;${body}`, className: 'k-text' },
  li: { style: `margin:0 0 4px;${body}`, className: 'k-text' },
  blockquote: { style: `margin:0 0 12px;padding:0 0 0 12px;border-left:3px solid #d1d9e0;${font}color:#59636e;`, className: 'k-muted k-rule' },
  a: { style: 'color:#0969da;text-decoration:underline;', className: 'k-link' },
  code: { style: `${mono}font-size:13px;background-color:#eff2f5;border-radius:4px;padding:1px 4px;color:#1f2328;`, className: 'k-code' },
  pre: { style: `margin:0 0 12px;padding:12px;${mono}font-size:13px;line-height:19px;background-color:#eff2f5;border-radius:6px;white-space:pre-wrap;word-break:break-word;color:#1f2328;`, className: 'k-code' },
  table: { style: 'margin:0 0 12px;border-collapse:collapse;', className: '' },
  th: { style: `padding:4px 8px;border:1px solid #d1d9e0;${font}font-size:14px;line-height:20px;font-weight:600;color:#1f2328;`, className: 'k-text k-rule' },
  td: { style: `padding:4px 8px;border:1px solid #d1d9e0;${font}font-size:14px;line-height:20px;color:#1f2328;`, className: 'k-text k-rule' },
  hr: { style: 'margin:16px 0;border:0;border-top:1px solid #d1d9e0;height:0;', className: 'k-rule' },
  img: { style: 'max-width:100%;height:auto;border:0;', className: '' },
};

/** A link or image address made absolute against the email's base URL; null when it is not http(s) or mailto. */
export function absoluteUrl(href: string, baseUrl: string): string | null {
  try {
    const url = new URL(href, `${baseUrl.replace(/\/+$/, '')}/`);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function styled(tag: string, attribs: sanitizeHtml.Attributes, baseUrl: string): sanitizeHtml.Tag {
  const s = styles[tag];
  const out: sanitizeHtml.Attributes = { ...attribs };
  if (s) {
    out.style = s.style;
    if (s.className) out.class = s.className;
  }
  for (const name of ['href', 'src'] as const) {
    if (out[name] === undefined) continue;
    const abs = absoluteUrl(out[name]!, baseUrl);
    if (abs === null) delete out[name];
    else out[name] = abs;
  }
  return { tagName: tag, attribs: out };
}

/** The second pass runs on the sanitizer's own output, so the only styles and classes are the ones added here. */
function emailOptions(baseUrl: string): sanitizeHtml.IOptions {
  const transformTags: Record<string, sanitizeHtml.Transformer> = {};
  for (const tag of Object.keys(styles)) transformTags[tag] = (_, attribs) => styled(tag, attribs, baseUrl);
  // A task list's state (the site renders it as a text badge): bold in email, where the site's classes mean nothing;
  // the visually hidden colon of the badge becomes a visible one.
  transformTags.span = (_, attribs) => {
    const cls = attribs.class ?? '';
    if (/\btask-state\b/.test(cls)) return { tagName: 'strong', attribs: {} };
    return { tagName: 'span', attribs: {} };
  };
  return {
    allowedTags: [...Object.keys(styles), 'br', 'em', 'strong', 'del', 's', 'sup', 'sub', 'kbd', 'thead', 'tbody', 'tr', 'span'],
    allowedAttributes: {
      '*': ['style', 'class'],
      a: ['href', 'title', 'rel', 'style', 'class'],
      img: ['src', 'alt', 'title', 'style', 'class'],
      th: ['align', 'style', 'class'],
      td: ['align', 'style', 'class'],
      ol: ['start', 'style', 'class'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['https'] },
    allowProtocolRelative: false,
    transformTags,
  };
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

/** Markdown as email HTML: sanitized like the site's, with inline styles and every link and image absolute. */
export function renderEmailMarkdown(source: string, baseUrl: string): string {
  const key = `${baseUrl}\n${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = guardRender('email', source, () => sanitizeHtml(renderMarkdown(source), emailOptions(baseUrl))
    // Code inside a block keeps the block's look, not the inline chip's.
    .replace(/(<pre [^>]*>)<code [^>]*>/g, '$1<code style="font-family:inherit;font-size:inherit;">')
    .trim(), () => sanitizeHtml(plainTextHtml(source), emailOptions(baseUrl))).value;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, html);
  return html;
}
