// The admin and public forms that add a channel subscriber, parsed once with zod.
import { z } from 'astro/zod';
import { channelTypes } from './channel-event.ts';

export const channelTypeLabels: Record<(typeof channelTypes)[number], string> = {
  webhook: 'Webhook (JSON, Statuspage format)', slack: 'Slack (incoming webhook)', teams: 'Microsoft Teams (workflow webhook)', discord: 'Discord (webhook)',
};

/** Types the public may add themselves on /subscribe (the rest are admin-only). */
export const publicChannelTypes = ['webhook', 'slack'] as const;

function componentsField(componentIds: readonly string[]) {
  return z.array(z.string()).default([]).transform((ids, c) => {
    const unknown = ids.filter((id) => !componentIds.includes(id));
    if (unknown.length > 0) {
      c.addIssue({ code: 'custom', message: `Unknown component '${unknown[0]}'` });
      return z.NEVER;
    }
    const chosen = [...new Set(ids)];
    return chosen.length === 0 || chosen.length === componentIds.length ? null : chosen;
  });
}

/** A new channel subscriber: its type, URL (checked for SSRF by the service) and components. */
export function channelFormSchema(componentIds: readonly string[], types: readonly string[] = channelTypes) {
  return z.object({
    type: z.string({ error: 'Choose a channel type' }).refine((t) => types.includes(t), { error: `Channel type must be one of: ${types.join(', ')}` }),
    url: z.string({ error: 'Enter the webhook URL' }).trim().min(1, { error: 'Enter the webhook URL' }).max(2000, { error: 'Webhook URL must be at most 2000 characters' }),
    components: componentsField(componentIds),
    website: z.string().optional().default(''),
  });
}
export type ChannelFormInput = z.infer<ReturnType<typeof channelFormSchema>>;

/** Reads the channel form's fields. */
export function channelFormValues(form: FormData): { type: string; url: string; components: string[]; website: string } {
  return {
    type: String(form.get('channel_type') ?? ''), url: String(form.get('channel_url') ?? ''),
    components: form.getAll('components').map(String), website: String(form.get('website') ?? ''),
  };
}
