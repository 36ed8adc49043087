/** Every state of a post's life cycle (DESIGN.md "Post life cycle"). */
export const POST_STATUSES = [
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'publishing',
  'published',
  'failed',
  'blocked',
  'canceled',
  'expired',
  'taken_down',
] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** States from which nothing more happens to the post's content. */
export const FINAL_STATUSES: ReadonlySet<PostStatus> = new Set(['published', 'canceled', 'taken_down']);

/** Content and schedule may change in these states (an edit after review restarts it). */
export const EDITABLE_STATUSES: ReadonlySet<PostStatus> = new Set([
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'blocked',
  'failed',
  'expired',
]);

/** Cancel is possible in any state before publishing starts. */
export const CANCELABLE_STATUSES: ReadonlySet<PostStatus> = new Set([
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'blocked',
  'expired',
  'failed',
]);
