import { checkTextLength, DomainError, ErrorCode, parseInstant, type FieldError } from '@app/domain';
import type { ChannelEntity } from '@app/persistence';

/**
 * Checks what class-validator cannot, for the parts given: the text against the
 * channel's network limit, and a new time that is in the future. Returns the time.
 */
export function assertPostInput(
  input: { text?: string; scheduledAt?: string },
  channel: ChannelEntity,
  now: Date,
): Date | undefined {
  const errors: FieldError[] = [];
  const tooLong = input.text === undefined ? null : checkTextLength(channel.network, input.text);
  if (tooLong) errors.push({ field: 'text', message: tooLong });
  const scheduledAt = input.scheduledAt === undefined ? undefined : parseInstant(input.scheduledAt);
  if (scheduledAt === null)
    errors.push({ field: 'scheduledAt', message: 'must be an ISO 8601 date-time with an offset' });
  else if (scheduledAt && scheduledAt.getTime() <= now.getTime()) {
    errors.push({ field: 'scheduledAt', message: 'must be in the future' });
  }
  if (errors.length > 0) throw DomainError.ofFields(ErrorCode.ValidationFailed, errors);
  return scheduledAt ?? undefined;
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
