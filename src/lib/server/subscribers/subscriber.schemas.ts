// Subscriber vocabulary and the forms and webhook bodies that reach it, parsed once with zod.
import { z } from 'astro/zod';
import { fieldLimits, tooLongMessage } from '../../status/field-limits.ts';

export const subscriberStates = ['pending', 'confirmed', 'unsubscribed', 'bounced'] as const;
export type SubscriberState = (typeof subscriberStates)[number];

export const subscriberStateLabels: Record<SubscriberState, string> = {
  pending: 'Pending confirmation',
  confirmed: 'Confirmed',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
};

export interface Subscriber {
  id: string;
  email: string;
  state: SubscriberState;
  /** null: every component. */
  components: string[] | null;
  /** bounced | complained when state is bounced. */
  suppressedReason: string | null;
  createdAt: number;
  confirmedAt: number | null;
  unsubscribedAt: number | null;
}

/** Trimmed and lower-cased, so one mailbox is one subscriber. */
export function normalizeAddress(email: string): string {
  return email.trim().toLowerCase();
}

/** The words of the subscribe form's errors: English unless the page passes its reader's language. */
export interface SubscribeMessages {
  emailMissing: string;
  emailInvalid: string;
  emailTooLong: string;
  unknownComponent: (id: string) => string;
}

const englishMessages: SubscribeMessages = {
  emailMissing: 'Enter your email address',
  emailInvalid: 'Enter an email address like name@example.com',
  emailTooLong: tooLongMessage('Email', fieldLimits.subscriberEmail),
  unknownComponent: (id) => `Unknown component '${id}'`,
};

/** Checked component ids, all known; none checked (or "all") means every component. */
function componentsField(componentIds: readonly string[], unknownComponent: (id: string) => string = englishMessages.unknownComponent) {
  return z
    .array(z.string())
    .default([])
    .transform((ids, c) => {
      const unknown = ids.filter((id) => !componentIds.includes(id));
      if (unknown.length > 0) {
        c.addIssue({ code: 'custom', message: unknownComponent(unknown[0]!) });
        return z.NEVER;
      }
      const chosen = [...new Set(ids)];
      return chosen.length === 0 || chosen.length === componentIds.length ? null : chosen;
    });
}

/** The public subscribe form; `website` is the honeypot (hidden from people, filled by bots). */
export function subscribeSchema(componentIds: readonly string[], messages: SubscribeMessages = englishMessages) {
  return z.object({
    email: z
      .string({ error: messages.emailMissing })
      .trim()
      .min(1, { error: messages.emailMissing })
      .max(fieldLimits.subscriberEmail, { error: messages.emailTooLong })
      .pipe(z.email({ error: messages.emailInvalid }))
      .transform(normalizeAddress),
    components: componentsField(componentIds, messages.unknownComponent),
    website: z.string().optional().default(''),
  });
}
export type SubscribeInput = z.infer<ReturnType<typeof subscribeSchema>>;

/** The manage page's component choice. */
export function manageSchema(componentIds: readonly string[]) {
  return z.object({ components: componentsField(componentIds) });
}

/** The part of a Resend webhook event we act on; anything else is acknowledged and ignored. */
export const webhookEventSchema = z.object({
  type: z.string(),
  data: z
    .object({
      email_id: z.string().optional(),
      to: z.union([z.array(z.string()), z.string()]).optional(),
    })
    .loose(),
});

/** Reads the subscribe and manage forms' fields (repeated `components`). */
export function subscribeFormValues(form: FormData): { email: string; components: string[]; website: string } {
  return {
    email: String(form.get('email') ?? ''),
    components: form.getAll('components').map(String),
    website: String(form.get('website') ?? ''),
  };
}
