// Who may do what in admin: three roles, each allowed everything the one before it may do.
export const roles = ['viewer', 'responder', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  viewer: 'Viewer',
  responder: 'Responder',
  admin: 'Admin',
};

export const roleDescriptions: Record<Role, string> = {
  viewer: 'reads the admin pages and metrics',
  responder: 'also posts incidents, updates, maintenance and post-mortems, and sees subscribers',
  admin: 'also manages users, components, settings, API keys and integrations',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** True when `role` is `needed` or above it. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed);
}
