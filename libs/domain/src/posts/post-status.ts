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
