import type { PostVisibility, ReplyRef } from '@app/domain';

/** What a publisher is asked to put out: exactly the approved version. */
export interface PublishRequest {
  /** `<postId>-v<version>`: the same on every try, so the receiver can drop duplicates */
  idempotencyKey: string;
  postId: string;
  version: number;
  workspaceId: string;
  channel: { id: string; name: string; network: string; handle: string | null };
  text: string;
  mediaUrls: string[];
  /** alt text of each media, in order ([] when none has any) */
  mediaAlt: string[];
  link: string | null;
  /** Mastodon's spoiler_text; null: none */
  contentWarning: string | null;
  /** Mastodon's audience */
  visibility: PostVisibility;
  /** BCP 47 tag of the text; null: the network guesses */
  language: string | null;
  /** the mention this post answers, as its network references it; null: not a reply */
  replyTo: ReplyRef | null;
  scheduledAt: string;
  /** when the post was created: with the idempotency key, what a network's record key is made of */
  createdAt: string;
}

export interface PublishResult {
  externalId: string | null;
  url: string | null;
  statusCode: number | null;
  /** the network said its rate limit is used up until then: the channel's next posts wait */
  holdUntil?: Date | null;
}

/** A publisher's refusal: `retryable` for 5xx, timeouts and network errors; not for 4xx. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null = null,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/** The network refused the channel's credentials: nothing is retried until someone reconnects it. */
export class CredentialsRejected extends PublishError {
  constructor(message: string, statusCode: number | null = null) {
    super(message, false, statusCode);
    this.name = 'CredentialsRejected';
  }
}

/** The network said "not now" (429): try again no earlier than `retryAt`. */
export class RateLimited extends PublishError {
  constructor(
    message: string,
    readonly retryAt: Date,
  ) {
    super(message, true, 429);
    this.name = 'RateLimited';
  }
}

/** Who a channel's credentials act as, as the network says (checked at connection and by `check`). */
export interface NetworkAccount {
  /** the network's id of the account (a Mastodon account id, a Bluesky DID) */
  accountId: string;
  handle: string;
  url: string | null;
  /** the longest text the network (the instance) accepts, when it says */
  maxCharacters?: number;
}

/** What a takedown asks a publisher to remove. */
export interface TakedownRequest {
  idempotencyKey: string;
  postId: string;
  externalId: string | null;
  reason: string;
}

/** Puts a post out on its network (or wherever the channel says). */
export interface Publisher {
  publish(request: PublishRequest): Promise<PublishResult>;
  /** Takes a published post down again (used by takedowns). */
  unpublish(request: TakedownRequest): Promise<void>;
}

/** A mention of the channel's account, as its network reports it. */
export interface NetworkMention {
  externalId: string;
  authorHandle: string;
  authorName: string | null;
  text: string;
  url: string | null;
  createdAt: Date;
  /** the network's id of the post it answers */
  inReplyTo: string | null;
  language: string | null;
  /** what a reply to it refers to */
  replyRef: ReplyRef;
}

/** Mentions read, oldest first, and where the next read goes on from. */
export interface MentionsRead {
  mentions: NetworkMention[];
  cursor: string | null;
}

/** A publisher whose network can be read for the account's mentions. */
export interface MentionSource {
  /** The mentions since `cursor` (null: the newest page only), reading at most `pages` pages. */
  mentionsAfter(cursor: string | null, pages: number): Promise<MentionsRead>;
}

export const isMentionSource = (publisher: Publisher): publisher is Publisher & MentionSource =>
  typeof (publisher as Partial<MentionSource>).mentionsAfter === 'function';
