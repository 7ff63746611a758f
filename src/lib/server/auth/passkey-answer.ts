// The browser's answer to a WebAuthn ceremony, posted as a JSON string in a form field: parsed once, shape only
// (the library checks every byte of it).
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** The answer as the library takes it, or null when the field is not a credential's JSON at all. */
export function parseAnswer<T extends RegistrationResponseJSON | AuthenticationResponseJSON>(field: string): T | null {
  let value: unknown;
  try {
    value = JSON.parse(field);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || v.id === '' || typeof v.rawId !== 'string' || v.type !== 'public-key') return null;
  if (typeof v.response !== 'object' || v.response === null) return null;
  return value as T;
}
