/** A member's role in one workspace (DESIGN.md "Membership"). */
export const ROLES = ['owner', 'admin', 'editor', 'approver', 'contributor', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles that sign in (a reviewer acts from e-mail links only): what an invitation or a second-factor rule may name. */
export const LOGIN_ROLES = ['owner', 'admin', 'editor', 'approver', 'contributor'] as const;
export type LoginRole = (typeof LOGIN_ROLES)[number];

/** The roles an API key may act with. */
export const API_KEY_ROLES = ['contributor', 'editor'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
