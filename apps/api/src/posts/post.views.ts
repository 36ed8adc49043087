import { localIsoOf } from '@app/domain';
import type { PostEntity, PostRevisionEntity } from '@app/persistence';

/** Who wrote something: a person, or an API key and the person it acts for. */
export type WriterView =
  { kind: 'user'; id: string } | { kind: 'api-key'; id: string; onBehalfOf: string | null };

const writerView = (userId: string | null, apiKeyId: string | null): WriterView | null =>
  apiKeyId
    ? { kind: 'api-key', id: apiKeyId, onBehalfOf: userId }
    : userId
      ? { kind: 'user', id: userId }
      : null;

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
  /** the same instant in the workspace's time zone, with its offset */
  scheduledAtLocal: string;
  author: WriterView | null;
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

/** A post as the API shows it; `zone` is the workspace's, for `scheduledAtLocal`. */
export const postView = (p: PostEntity, zone: string): PostView => ({
  id: p.id,
  workspaceId: p.workspaceId,
  channelId: p.channelId,
  status: p.status,
  version: p.version,
  text: p.text,
  mediaUrls: p.mediaUrls,
  link: p.link,
  scheduledAt: p.scheduledAt.toISOString(),
  scheduledAtLocal: localIsoOf(p.scheduledAt, zone),
  author: writerView(p.authorUserId, p.authorApiKeyId),
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
  editor: writerView(r.editorUserId, r.editorApiKeyId),
  channelId: r.channelId,
  text: r.text,
  mediaUrls: r.mediaUrls,
  link: r.link,
  scheduledAt: r.scheduledAt.toISOString(),
  at: r.createdAt.toISOString(),
});

/** The strong ETag of a post: its version. */
export const etagOf = (p: PostEntity): string => `"${p.version}"`;
