import {
  checkShownWith,
  checkTextLength,
  DomainError,
  ErrorCode,
  resolveScheduledAt,
  textLimitOf,
  type Disambiguation,
  type FieldError,
  type PostVisibility,
} from '@app/domain';
import type { ChannelEntity } from '@app/persistence';

/** A post's time as sent: `scheduledAt`, and for a local one the zone and which of a repeated hour. */
export interface ScheduleInput {
  scheduledAt?: string;
  timezone?: string;
  disambiguation?: Disambiguation;
}

/** What of a post's content the API checks against its channel. */
interface ContentInput {
  /** left out: the length is not checked (nothing that counts toward it changed) */
  text?: string;
  link?: string | null;
  mediaUrls?: string[];
  mediaAlt?: string[];
  contentWarning?: string | null;
  visibility?: PostVisibility;
}

/**
 * Checks what class-validator cannot, for the parts given: the text (and a Mastodon
 * content warning) against the channel's limit, what the network can show, and a
 * time that exists (in `timezone`, else the workspace's zone, when it has no
 * offset) and is in the future. Returns the time.
 */
export function assertPostInput(
  input: ContentInput & ScheduleInput,
  channel: ChannelEntity,
  workspaceZone: string,
  now: Date,
): Date | undefined {
  const errors: FieldError[] = checkShownWith(channel.network, input);
  const tooLong =
    input.text === undefined
      ? null
      : checkTextLength(
          channel.network,
          {
            text: input.text,
            link: input.link ?? null,
            mediaUrls: input.mediaUrls ?? [],
            contentWarning: input.contentWarning,
          },
          textLimitOf(channel),
        );
  if (tooLong) errors.push({ field: 'text', message: tooLong });
  if (input.mediaAlt !== undefined && input.mediaAlt.length !== (input.mediaUrls ?? []).length) {
    errors.push({
      field: 'mediaAlt',
      message: `has ${input.mediaAlt.length} entries for ${(input.mediaUrls ?? []).length} mediaUrls: one per media, in the same order ("" for none)`,
    });
  }
  let scheduledAt: Date | undefined;
  if (input.scheduledAt === undefined) {
    for (const field of ['timezone', 'disambiguation'] as const)
      if (input[field] !== undefined)
        errors.push({ field, message: 'applies to scheduledAt; send it with one' });
  } else {
    const resolved = resolveScheduledAt(
      input.scheduledAt,
      input.timezone ?? workspaceZone,
      input.disambiguation,
    );
    if ('error' in resolved) errors.push({ field: 'scheduledAt', message: resolved.error });
    else if (resolved.at.getTime() <= now.getTime())
      errors.push({ field: 'scheduledAt', message: 'must be in the future' });
    else scheduledAt = resolved.at;
  }
  if (errors.length > 0) throw DomainError.ofFields(ErrorCode.ValidationFailed, errors);
  return scheduledAt;
}

/** Unknown and foreign channels look the same: 404, naming the field. */
export const channelNotFound = (): DomainError =>
  DomainError.ofFields(ErrorCode.NotFound, [
    { field: 'channelId', message: 'no such channel in this workspace' },
  ]);

/** `If-Match: "3"` (or `W/"3"`, or `3`) -> 3. Missing: 428; unreadable: 412. */
export function expectedVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new DomainError(
      ErrorCode.PreconditionRequired,
      'Send If-Match: "<version>" (the ETag of the post you edited) so that concurrent edits are not lost.',
    );
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!match)
    throw new DomainError(ErrorCode.PreconditionFailed, `If-Match ${ifMatch} names no version of this post.`);
  return Number(match[1]);
}
