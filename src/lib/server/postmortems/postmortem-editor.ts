// The admin post-mortem editor: drafts, previews, and publishing only after a confirmation of who will be emailed.
import { formatDateTime } from '../../status/format.ts';
import { postmortemLeftovers, type FieldPlaceholder } from '../../status/postmortem-placeholders.ts';
import { postmortemTemplate } from '../../status/postmortem-template.ts';
import type { AdminContext } from '../admin/page-context.ts';
import { parseForm, saveErrors, type FieldErrors } from '../admin/form.ts';
import { unlessUnavailable } from '../db/db-errors.ts';
import { RefusedError } from '../errors.ts';
import { renderMarkdown } from '../markdown/markdown.ts';
import { database } from '../status-data/runtime.ts';
import { formDigest, postmortemEmailed, publishConfirmation, type PublishConfirmation } from './postmortem-publish.ts';
import { PlaceholdersLeftError, assertPublishable, postmortemFormSchema, postmortemTarget, savePostmortem } from './postmortem.service.ts';

export interface PostmortemEditorView {
  status: number;
  incident: { id: string; title: string; adminHref: string } | null;
  /** Why it cannot be written here (the incident is still open). */
  problem: string | null;
  lede: string;
  publicHref: string | null;
  savedMessage: string | null;
  /** "Emailed to 12 subscribers on 3 Dec 2026, 10:04 GMT." once it was announced. */
  emailedText: string | null;
  /** A post-mortem file: read-only here, and why it is a draft when it asks to be published. */
  file: { html: string; withheld: { intro: string; lines: PlaceholderLine[] } | null } | null;
  /** The form (null for a file or a problem), with what was typed. */
  form: { values: { title: string; body: string }; errors: FieldErrors; published: boolean } | null;
  /** Publishing (or saving a public one) refused: each placeholder with its line. */
  refusal: { intro: string; lines: PlaceholderLine[] } | null;
  /** A draft's placeholders, listed gently: a draft may keep them. */
  leftovers: PlaceholderLine[];
  /** "3 placeholders from the runbook template to replace before publishing (a draft may keep them)". */
  leftoversSummary: string;
  preview: string | null;
  confirmation: (PublishConfirmation & { changed: boolean }) | null;
}

export type PostmortemEditorResult = { redirect: string } | { view: PostmortemEditorView };

/** One placeholder as the page lists it: "Line 12: [Date]", with the line it sits in when that says more. */
export interface PlaceholderLine {
  label: string;
  context: string | null;
}

/**
 * "Title: [Date]", "Line 12: [Date]"; with `text`, the line's own words as context where the placeholder alone
 * does not say which line it is ("X", or "(owner, deadline)" on every action item).
 */
export function placeholderLines(found: readonly FieldPlaceholder[], text?: { title: string; body: string }): PlaceholderLine[] {
  const lines = text?.body.replace(/\r\n?/g, '\n').split('\n') ?? [];
  return found.map((p) => {
    const label = p.field === 'title' ? `Title: ${p.text}` : `Line ${p.line}: ${p.text}`;
    const ambiguous = p.text.length <= 3 || found.filter((q) => q.text === p.text).length > 1;
    if (!ambiguous) return { label, context: null };
    const source = (p.field === 'title' ? text?.title : lines[p.line - 1])?.trim().replace(/^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/, '') ?? '';
    const context = source === '' || source === p.text ? null : source.length > 90 ? `${source.slice(0, 89)}…` : source;
    return { label, context };
  });
}

const savedMessages: Record<string, string> = {
  publish: 'Published: it is on the public page and linked from the incident.',
  unpublish: 'Withdrawn: it is a draft again.',
  save: 'Changes saved: the public page shows them now.',
};

function emailedText(emailed: { at: number; recipients: number } | null, timeZone: string): string | null {
  if (!emailed) return null;
  const when = formatDateTime(emailed.at, timeZone);
  if (emailed.recipients === 0) return `Announced on ${when}: no subscriber followed its components, so no email was sent.`;
  return `Emailed to ${new Intl.NumberFormat('en-US').format(emailed.recipients)} ${emailed.recipients === 1 ? 'subscriber' : 'subscribers'} on ${when}.`;
}

/** Handles one GET or POST of /admin/postmortems/<incident id>: a redirect after a save, or what to show. */
export async function postmortemEditor(ctx: AdminContext, request: { incidentId: string; form: Record<string, string> | null; saved: string | null; actor: string }): Promise<PostmortemEditorResult> {
  const { model, now } = ctx;
  const id = request.incidentId;
  const incident = model.incidentById.get(id);
  const view: PostmortemEditorView = {
    status: 200, incident: null, problem: null, lede: '', publicHref: null, savedMessage: null, emailedText: null,
    file: null, form: null, refusal: null, leftovers: [], leftoversSummary: '', preview: null, confirmation: null,
  };
  if (!incident) return { view: { ...view, status: 404 } };
  view.incident = { id, title: incident.title, adminHref: `/admin/incidents/${encodeURIComponent(id)}` };
  let fileOwned = false;
  try {
    fileOwned = postmortemTarget(model, id).fileOwned;
  } catch (e) {
    if (!(e instanceof RefusedError)) throw e;
    view.problem = e.message;
  }
  const existing = model.postmortems.find((p) => p.incidentId === id);
  const published = existing?.publishedAt != null;
  view.publicHref = published && existing ? `/postmortems/${encodeURIComponent(existing.id)}` : null;
  view.lede = published ? 'Published.' : existing ? 'Draft: not public yet.' : 'Not started: prefilled from the runbook template and the incident record.';
  if (fileOwned && existing) {
    const withheld = existing.withheld;
    view.file = {
      html: renderMarkdown(existing.body),
      withheld: withheld ? {
        intro: `The file says published: ${formatDateTime(withheld.publishAt, model.site.timezone)}, but it stays a draft (not public, not emailed) until these placeholders from the runbook template are replaced:`,
        lines: placeholderLines(withheld.placeholders),
      } : null,
    };
    if (withheld) view.lede = 'Draft: template placeholders remain in the file.';
  }
  if (view.problem || fileOwned) return { view };

  const template = postmortemTemplate(incident, model.site.timezone, now);
  let values = { title: existing?.title ?? template.title, body: existing?.body ?? template.body };
  let errors: FieldErrors = {};
  if (request.form) {
    values = { title: request.form.title ?? '', body: request.form.body ?? '' };
    const parsed = parseForm(postmortemFormSchema, request.form);
    if (!parsed.ok) errors = parsed.errors;
    else {
      const f = parsed.data;
      try {
        if (f.action === 'preview') view.preview = renderMarkdown(f.body);
        else if (f.action === 'publish' || f.action === 'confirm') {
          assertPublishable(f);
          const db = await database();
          const changed = f.action === 'confirm' && f.confirmed !== formDigest(f);
          if (f.action === 'publish' || changed) view.confirmation = { ...await publishConfirmation(db, model, incident, f), changed };
          else {
            await savePostmortem(db, model, id, { ...f, action: 'publish' }, request.actor, now);
            return { redirect: `/admin/postmortems/${encodeURIComponent(id)}?saved=publish` };
          }
        } else {
          await savePostmortem(await database(), model, id, { ...f, action: f.action }, request.actor, now);
          return { redirect: `/admin/postmortems/${encodeURIComponent(id)}?saved=${f.action}` };
        }
      } catch (e) {
        errors = saveErrors(e);
        if (e instanceof PlaceholdersLeftError) {
          const publishing = f.action === 'publish' || f.action === 'confirm';
          view.refusal = {
            intro: publishing
              ? 'Not published, and nothing was emailed: replace or delete each placeholder left from the runbook template, then publish again.'
              : 'Not saved: this post-mortem is public, so it cannot hold placeholders from the runbook template. Replace each one, or withdraw it to keep a draft.',
            lines: placeholderLines(e.placeholders, f),
          };
        }
      }
    }
    if (Object.keys(errors).length > 0) view.status = 400;
  }
  if (!view.refusal && !published) view.leftovers = placeholderLines(postmortemLeftovers(values), values);
  const n = view.leftovers.length;
  view.leftoversSummary = `${n} ${n === 1 ? 'placeholder' : 'placeholders'} from the runbook template to replace before publishing (a draft may keep ${n === 1 ? 'it' : 'them'})`;
  view.form = { values, errors, published };
  view.savedMessage = request.saved ? (savedMessages[request.saved] ?? null) : null;
  if (request.saved === 'save' && !published) view.savedMessage = 'Draft saved: not public yet.';
  view.emailedText = emailedText(await unlessUnavailable(async () => postmortemEmailed(await database(), id), null), model.site.timezone);
  return { view };
}
