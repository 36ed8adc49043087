/** A member's role in one workspace (DESIGN.md "Membership"). */
export const ROLES = ['owner', 'admin', 'editor', 'approver', 'contributor', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles an API key may act with. */
export const API_KEY_ROLES = ['contributor', 'editor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
