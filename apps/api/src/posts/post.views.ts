import type { PostEntity, PostRevisionEntity } from '@app/persistence';

export interface PostView {
  id: string;
  workspaceId: string;
  channelId: string;
  status: string;
  version: number;
  text: string;
  mediaUrls: string[];
  link: string | null;
  scheduledAt: string;
  author: { kind: 'user' | 'api-key'; id: string } | null;
  publishedAt: string | null;
  externalId: string | null;
  externalUrl: string | null;
  /** why it was blocked, expired or failed */
  outcome: object | null;
  createdAt: string;
  updatedAt: string;
  /** stage-by-stage progress once submitted (GET post, submit, approvals) */
  review?: unknown;
}

export const postView = (p: PostEntity): PostView => ({
  id: p.id,
  workspaceId: p.workspaceId,
  channelId: p.channelId,
  status: p.status,
  version: p.version,
  text: p.text,
  mediaUrls: p.mediaUrls,
  link: p.link,
  scheduledAt: p.scheduledAt.toISOString(),
  author: p.authorUserId
    ? { kind: 'user', id: p.authorUserId }
    : p.authorApiKeyId
      ? { kind: 'api-key', id: p.authorApiKeyId }
      : null,
  publishedAt: p.publishedAt?.toISOString() ?? null,
  externalId: p.externalId,
  externalUrl: p.externalUrl,
  outcome: p.outcome,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const revisionView = (r: PostRevisionEntity) => ({
  version: r.version,
  changed: r.changed,
  editor: r.editorUserId
    ? { kind: 'user', id: r.editorUserId }
    : r.editorApiKeyId
      ? { kind: 'api-key', id: r.editorApiKeyId }
      : null,
  channelId: r.channelId,
  text: r.text,
  mediaUrls: r.mediaUrls,
  link: r.link,
  scheduledAt: r.scheduledAt.toISOString(),
  at: r.createdAt.toISOString(),
});

/** The strong ETag of a post: its version. */
export const etagOf = (p: PostEntity): string => `"${p.version}"`;
