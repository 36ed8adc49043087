import type { PostStatus } from './post-status';

/** Everything that can happen to a post. */
export const POST_EVENTS = [
  'submit',
  'approve',
  'complete',
  'reopen',
  'reject',
  'edit',
  'cancel',
  'start_publishing',
  'published',
  'publish_failed',
  'block',
  'expire',
  'take_down',
] as const;
export type PostEvent = (typeof POST_EVENTS)[number];

/**
 * The life cycle of DESIGN.md as a table: the state each event leads to, from each
 * state where it is allowed. Anything not listed is refused. `approve` records a
 * sign-off that does not finish the last stage; `complete` is the one that does
 * (or a recount after a membership change that finds every stage satisfied);
 * `reopen` is a recount that finds an approved post short of its quorum.
 */
const TRANSITIONS: Readonly<Record<PostStatus, Partial<Record<PostEvent, PostStatus>>>> = {
  draft: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  in_review: {
    approve: 'in_review',
    complete: 'approved',
    reject: 'changes_requested',
    edit: 'in_review',
    cancel: 'canceled',
    expire: 'expired',
  },
  changes_requested: { submit: 'in_review', edit: 'changes_requested', cancel: 'canceled' },
  approved: {
    // A sign-off withdrawn by an eligible approver who had not voted: a veto still counts.
    reject: 'changes_requested',
    reopen: 'in_review',
    edit: 'in_review',
    cancel: 'canceled',
    start_publishing: 'publishing',
    block: 'blocked',
    expire: 'expired',
  },
  // A retry is gated like the first try: refused, it is blocked, or expired past its deadline.
  publishing: { published: 'published', publish_failed: 'failed', block: 'blocked', expire: 'expired' },
  published: { take_down: 'taken_down' },
  failed: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  blocked: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  expired: { submit: 'in_review', edit: 'draft', cancel: 'canceled' },
  canceled: {},
  taken_down: {},
};

/** Where every post starts. */
export const INITIAL_STATUS: PostStatus = 'draft';

/** The state `event` leads to from `status`, or null when the event is not allowed there. */
export function nextStatus(status: PostStatus, event: PostEvent): PostStatus | null {
  return TRANSITIONS[status][event] ?? null;
}

export function canApply(status: PostStatus, event: PostEvent): boolean {
  return nextStatus(status, event) !== null;
}

/** The state `event` leads to; throws when the machine refuses it (a bug in the caller, never input). */
export function mustTransition(status: PostStatus, event: PostEvent): PostStatus {
  const next = nextStatus(status, event);
  if (!next) throw new Error(`post state machine: ${event} is not allowed from ${status}`);
  return next;
}

/**
 * Moves `post` by `events`, in order, through the machine: the one place a post's
 * status is set in memory. Throws on an edge the machine refuses.
 */
export function transition(post: { status: PostStatus }, ...events: PostEvent[]): PostStatus {
  for (const event of events) post.status = mustTransition(post.status, event);
  return post.status;
}
