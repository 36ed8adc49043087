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
  link: string | null;
  scheduledAt: string;
}

export interface PublishResult {
  externalId: string | null;
  url: string | null;
  statusCode: number | null;
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

/** Puts a post out on its network (or wherever the channel says). */
export interface Publisher {
  publish(request: PublishRequest): Promise<PublishResult>;
  /** Takes a published post down again (used by takedowns). */
  unpublish(request: {
    idempotencyKey: string;
    postId: string;
    externalId: string | null;
    reason: string;
  }): Promise<void>;
}
