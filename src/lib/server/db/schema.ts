// Table row types, as stored (snake_case; times are ISO 8601 UTC text; booleans are 0/1).
import type { Generated } from 'kysely';
import type { Role } from '../../status/roles.ts';

export interface IncidentTable {
  id: string;
  title: string;
  severity: string;
  impact_override: string | null;
  /** JSON object: component id → status while open. */
  components: string;
  started_at: string | null;
  detected_at: string | null;
  acknowledged_at: string | null;
  mitigated_at: string | null;
  false_positive: number;
  repeat_of: string | null;
  body: string;
  notify_subscribers: number;
  data_breach: number;
  /** 'public' or 'internal' (team only); added by 2026_12_06_0300_add_audience. */
  audience: string;
  created_at: string;
  updated_at: string;
}

export interface IncidentUpdateTable {
  id: string;
  incident_id: string;
  at: string;
  status: string;
  message: string;
  /** JSON object or null: component statuses from this update on. */
  components: string | null;
  notify_subscribers: number;
  created_at: string;
}

export interface MaintenanceTable {
  id: string;
  title: string;
  /** JSON array of component ids. */
  components: string;
  scheduled_start: string;
  scheduled_end: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface MaintenanceUpdateTable {
  id: string;
  maintenance_id: string;
  at: string;
  status: string;
  message: string;
  created_at: string;
}

export interface PostmortemTable {
  id: string;
  incident_id: string;
  title: string;
  body: string;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ComponentOverrideTable {
  component_id: string;
  status: string;
  set_at: string;
}

/** Components marked team-only in admin (on top of components.yaml's `audience: internal`). */
export interface ComponentAudienceTable {
  component_id: string;
  audience: string;
  set_at: string;
}


export interface UserTable {
  id: string;
  email: string;
  /** null until the user sets a password through a one-time link. */
  password_hash: string | null;
  created_at: string;
  /** 1: email me the runbook's reminders (update due, escalation due); 0: opted out. */
  reminders: Generated<number>;
  /** viewer, responder or admin (src/lib/status/roles.ts); accounts from before roles are admins. */
  role: Generated<Role>;
  /** The provider's `sub` once the account signed in through single sign-on (decision record 019); else null. */
  sso_subject: Generated<string | null>;
}

/** A single sign-on flow waiting for the provider's answer (src/lib/server/auth/sso-flow.ts). */
export interface SsoFlowTable {
  /** SHA-256 of the token in the browser's cookie, hex; the PKCE verifier is derived from the token, never stored. */
  id: string;
  state: string;
  nonce: string;
  /** Where to go once signed in (a local admin path). */
  next: string;
  expires_at: string;
  created_at: string;
}

export interface SessionTable {
  /** SHA-256 of the session token, hex: the token itself is never stored. */
  id: string;
  user_id: string;
  expires_at: string;
  created_at: string;
}

export interface OneTimeTokenTable {
  /** SHA-256 of the token, hex. */
  id: string;
  purpose: 'setup' | 'reset';
  email: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A failed sign-in, or one reserved while its password is being verified (deleted if it succeeds). */
export interface SignInAttemptTable {
  id: string;
  email: string;
  ip: string;
  at: string;
}

/** A user's TOTP secret: pending enrolment while `enabled_at` is null. */
export interface UserTotpTable {
  user_id: string;
  /** The raw key, hex (see docs/decisions/015-totp-second-factor.md on why not encrypted). */
  secret: string;
  enabled_at: string | null;
  /** The last time step a code was accepted for; a code of that step or an earlier one is refused (replay). */
  last_used_step: number | null;
  created_at: string;
}

/** A single-use recovery code, only its SHA-256 stored. */
export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

/** A correct password waiting for the second factor; `id` is the SHA-256 of the cookie's token. */
export interface PendingSignInTable {
  id: string;
  user_id: string;
  /** Where the password came from: the client's address, or 'reset-link' (a password reset). */
  ip: string;
  expires_at: string;
  created_at: string;
}

/** A user's passkey (WebAuthn credential); `credential_id` and `public_key` base64url. */
export interface PasskeyTable {
  id: string;
  credential_id: string;
  user_id: string;
  public_key: string;
  /** The authenticator's signature counter at its last use; bigint (PostgreSQL returns it as a string). */
  counter: number | string;
  /** Comma-separated transports the browser reported (internal, usb, hybrid…). */
  transports: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/** A WebAuthn challenge waiting for its answer; `id` is the SHA-256 of the challenge, used once. */
export interface PasskeyChallengeTable {
  id: string;
  /** register | second-step | sign-in */
  purpose: string;
  user_id: string | null;
  /** The pending sign-in (its id) a second-step challenge belongs to. */
  pending_id: string | null;
  expires_at: string;
  created_at: string;
}

/** An address an account signed in from; exempt from the per-account throttle for 30 days after. */
export interface SignInKnownAddressTable {
  email: string;
  ip: string;
  last_success_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}

export interface EscalationRecordTable {
  id: string;
  incident_id: string;
  role: string;
  notified_who: string;
  notified_at: string;
  recorded_by: string;
}

export interface SubscriberTable {
  id: string;
  email: string;
  /** pending | confirmed | unsubscribed | bounced */
  state: string;
  /** JSON array of component ids; null means every component. */
  components: string | null;
  /** bounced | complained, when state is bounced. */
  suppressed_reason: string | null;
  /** When the last confirmation (or "already subscribed") email was queued: one per 10 minutes. */
  last_confirmation_at: string | null;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
  /** The interface language the address subscribed in (src/lib/i18n); null: the default, English. */
  locale?: string | null;
}

export interface SubscribeAttemptTable {
  id: string;
  email: string;
  ip: string;
  at: string;
}

export interface EmailMessageTable {
  id: string;
  /** incident | maintenance | postmortem | confirmation | already_subscribed */
  kind: string;
  subject: string;
  /** JSON: the template's input (EmailData), rendered per recipient at send time. */
  data: string;
  created_at: string;
}

export interface EmailOutboxTable {
  id: string;
  message_id: string;
  subscriber_id: string | null;
  to_address: string;
  /** queued | sending | sent | failed | not_sent */
  state: string;
  reason: string | null;
  batch_id: string | null;
  /** SHA-256 of this email's personal link token (manage, unsubscribe, confirm), set when its batch is prepared. */
  link_token_hash: string | null;
  /** Resend's email id once accepted. */
  provider_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface EmailBatchTable {
  id: string;
  /** Sent as Idempotency-Key; stored before the first call so every retry reuses it. */
  idempotency_key: string;
  /** pending | sent | failed */
  state: string;
  /** JSON { rowIds, emails } exactly as sent; cleared once Resend answers for good. */
  payload: string | null;
  size: number;
  attempts: number;
  next_attempt_at: string;
  first_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface EmailNotificationTable {
  /** What was notified, e.g. incident:<id>:<update id>; present means never again. */
  key: string;
  message_id: string | null;
  recipients: number;
  created_at: string;
}

export interface DataVersionTable {
  id: number;
  /** Moved inside every admin write's transaction (decision record 028); instances poll it to drop their cached admin records. */
  version: number;
}

export interface JobTable {
  id: string;
  kind: string;
  /** One row per key: enqueueing a key that is already queued or running adds nothing. */
  dedupe_key: string;
  payload: string;
  /** queued | running | done | failed (gave up; enqueueing again starts over) */
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  last_result: string | null;
  /** Last time it was asked for: later than started_at means it runs again after the current run. */
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

/** When the next call to Resend may start (PostgreSQL instances share it; see email/send-rate.ts). */
/** One row (id 1): since when calls to Resend keep failing, null while they succeed. */
export interface EmailProviderHealthTable {
  id: number;
  /** ISO time of the first failure in a row of them; null once a call succeeds. */
  failing_since: string | null;
  last_error: string | null;
  updated_at: string | null;
}

export interface EmailSendRateTable {
  id: number;
  /** Milliseconds since the epoch by the database's clock. */
  next_at: number | string;
}

/** One Alertmanager group (or generic webhook dedupe key) and the incident made for it (alerts/). */
export interface AlertGroupTable {
  id: string;
  source: string;
  group_key: string;
  title: string;
  severity: string;
  components: string;
  incident_id: string | null;
  state: string;
  note: string | null;
  last_update_id: string | null;
  resolve_due_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One firing of one alert (fingerprint + starts_at unique). */
export interface AlertTable {
  id: string;
  group_id: string;
  fingerprint: string;
  starts_at: string;
  status: string;
  ends_at: string | null;
  labels: string;
  annotations: string;
  received_at: string;
  updated_at: string;
}

/** A key for the manage API (/api/v1/pages/…): only the SHA-256 of the key is stored. */
export interface ApiKeyTable {
  id: string;
  name: string;
  token_hash: string;
  scopes: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A write's response kept 24 h for its Idempotency-Key. */
export interface ApiIdempotencyTable {
  api_key_id: string;
  idempotency_key: string;
  method: string;
  path: string;
  status: number;
  body: string;
  created_at: string;
}

/** When a maintenance file without `announced:` was first seen (src/lib/server/maintenance/first-seen.ts). */
export interface MaintenanceFirstSeenTable {
  maintenance_id: string;
  first_seen_at: string;
}

/** A chat or webhook subscriber (src/lib/server/channels). */
export interface ChannelSubscriberTable {
  id: string;
  /** webhook | slack | teams | discord */
  type: string;
  url: string;
  /** JSON array of component ids; null means every component. */
  components: string | null;
  /** pending | active | disabled */
  state: string;
  disabled_reason: string | null;
  signing_secret: string;
  confirm_token_hash: string | null;
  /** admin | public */
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A private site's reader: the browser that opened an emailed link (migration 2026_12_07_0300). */
export interface ReaderPassTable {
  /** SHA-256 of the pass cookie's token. */
  id: string;
  email: string;
  /** SHA-256 of the link token that made this pass (unique: one pass per link). */
  link_hash: string;
  expires_at: string;
  created_at: string;
}

export interface ReaderLinkAttemptTable {
  id: string;
  email: string;
  ip: string;
  at: string;
}

export interface Database {
  data_version: DataVersionTable;
  app_user: UserTable;
  user_session: SessionTable;
  one_time_token: OneTimeTokenTable;
  sign_in_attempt: SignInAttemptTable;
  sign_in_known_address: SignInKnownAddressTable;
  user_totp: UserTotpTable;
  recovery_code: RecoveryCodeTable;
  pending_sign_in: PendingSignInTable;
  passkey: PasskeyTable;
  passkey_challenge: PasskeyChallengeTable;
  sso_flow: SsoFlowTable;
  audit_log: AuditLogTable;
  escalation_record: EscalationRecordTable;
  incident: IncidentTable;
  incident_update: IncidentUpdateTable;
  maintenance: MaintenanceTable;
  maintenance_update: MaintenanceUpdateTable;
  postmortem: PostmortemTable;
  component_override: ComponentOverrideTable;
  component_audience: ComponentAudienceTable;
  subscriber: SubscriberTable;
  subscribe_attempt: SubscribeAttemptTable;
  email_message: EmailMessageTable;
  email_outbox: EmailOutboxTable;
  email_batch: EmailBatchTable;
  email_notification: EmailNotificationTable;
  email_send_rate: EmailSendRateTable;
  email_provider_health: EmailProviderHealthTable;
  job: JobTable;
  alert_group: AlertGroupTable;
  alert: AlertTable;
  api_key: ApiKeyTable;
  api_idempotency: ApiIdempotencyTable;
  channel_subscriber: ChannelSubscriberTable;
  maintenance_first_seen: MaintenanceFirstSeenTable;
  reader_pass: ReaderPassTable;
  reader_link_attempt: ReaderLinkAttemptTable;
}
