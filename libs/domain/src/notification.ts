import type { Role } from './access';

/** What a notification is about: read by persistence, rendered by libs/mail. */
export interface NotificationFacts {
  workspaceName: string;
  action: string;
  postText: string | null;
  channelName: string | null;
  /** the post's time in the workspace's zone, as people read it */
  scheduledAt: string | null;
  /** where the published post is, on its network */
  postUrl: string | null;
  status: string | null;
  detail: string | null;
  actorName: string | null;
}

/**
 * Who hears of an audit action by e-mail:
 * - `author`: the post's author (for a post made through an API key, the key's creator);
 * - `admins`: the workspace's owners and admins;
 * - `reviewRequest`: the approvers of the stage it opened, each with a review link of
 *   their own (`always`, or only when the action `completedStage` or `resetSignOffs`).
 */
export interface NotificationRule {
  subject?: string;
  to: ReadonlyArray<'author' | 'admins'>;
  reviewRequest?: 'always' | 'completedStage' | 'resetSignOffs';
}

/**
 * Which actions mail whom: the one table. The audit trigger that writes a mail's
 * outbox row in the action's transaction is checked against it by a test
 * (test/notifications.e2e-spec.ts).
 */
export const NOTIFICATIONS = {
  'post.submitted': { to: [], reviewRequest: 'always' },
  'post.signed_off': { to: [], reviewRequest: 'completedStage' },
  'post.edited': { to: [], reviewRequest: 'resetSignOffs' },
  'post.changes_requested': { subject: 'Changes requested on your post', to: ['author'] },
  'post.approved': { subject: 'Your post is approved', to: ['author'] },
  'post.published': { subject: 'Your post was published', to: ['author'] },
  'post.blocked': { subject: 'A post was blocked before publishing', to: ['author', 'admins'] },
  'post.failed': { subject: 'A post failed to publish', to: ['author', 'admins'] },
  'post.expired': { subject: 'A post expired unpublished', to: ['author'] },
  'post.taken_down': { subject: 'A post was taken down', to: ['author', 'admins'] },
  'workspace.paused': { subject: 'Publishing is paused', to: ['admins'] },
  'workspace.resumed': { subject: 'Publishing has resumed', to: ['admins'] },
  'workspace.lockdown': { subject: 'The workspace is locked down', to: ['admins'] },
} as const satisfies Record<string, NotificationRule>;

export type NotifiedAction = keyof typeof NOTIFICATIONS;

/** Mailed by the reminder job, not for an audit entry: to the admins, when a post nears its time unsigned. */
export const OVERDUE_SUBJECT = 'A post is close to its time without its sign-offs';

export function notificationRule(action: string): NotificationRule | undefined {
  return (NOTIFICATIONS as Record<string, NotificationRule>)[action];
}

/** The audit actions whose entry writes a `mail.notify` outbox row. */
export const MAILED_ACTIONS = Object.keys(NOTIFICATIONS) as NotifiedAction[];

/** The post actions that go to the owners and admins too. */
export const POST_ACTIONS_TO_ADMINS = MAILED_ACTIONS.filter(
  (a) => a.startsWith('post.') && notificationRule(a)!.to.includes('admins'),
);

/**
 * Mail about a person's account rather than a workspace's events, sent through the
 * outbox. The worker writes each and makes any link then, so no raw token is stored.
 */
export type AccountMail =
  /** to the account of that e-mail if it has a password; to nobody otherwise */
  | { kind: 'password_reset'; email: string }
  | { kind: 'password_changed'; userId: string }
  /** two-factor sign-in was turned on or off */
  | { kind: 'mfa_changed'; userId: string; on: boolean }
  /** the invitation's link (a new token each time it is written) */
  | { kind: 'invitation'; invitationId: string }
  /** someone with an account was added to a workspace */
  | { kind: 'member_added'; workspaceId: string; userId: string; role: Role; addedBy: string }
  /** a network stopped taking a channel's credentials: to the workspace's owners and admins */
  | { kind: 'channel_needs_reconnect'; workspaceId: string; channelId: string; reason: string }
  /** someone was mentioned in a comment: sent only if they may see it when it is written */
  | { kind: 'comment_mention'; workspaceId: string; commentId: string; userId: string }
  /** mentions spiked: to the workspace's owners and admins, with the figures and whether it was paused */
  | {
      kind: 'mention_spike';
      workspaceId: string;
      count: number;
      windowMinutes: number;
      baseline: number;
      threshold: number;
      negativeShare: number;
      action: 'notify' | 'pause';
      paused: boolean;
    };
