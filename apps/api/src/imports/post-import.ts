import { DomainError, isUuid, type FieldError } from '@app/domain';
import type { Campaign, ChannelEntity } from '@app/persistence';
import { isURL } from 'class-validator';
import { assertPostInput } from '../posts/post-input';

/** The columns an import takes; `channelId` or `channelName` names the channel. */
export const IMPORT_COLUMNS = [
  'channelId',
  'channelName',
  'scheduledAt',
  'text',
  'link',
  'mediaUrls',
  'campaign',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

const MAX_TEXT = 63206;
const MAX_MEDIA = 10;
const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true };

/** A row that passed: what its post is made of. */
export interface ImportedPost {
  channelId: string;
  text: string;
  mediaUrls: string[];
  link: string | null;
  scheduledAt: Date;
  campaignId: string | null;
}

/** What a row needs looked up: the workspace's channels and campaigns, its zone, and now. */
export interface ImportContext {
  channelsById: ReadonlyMap<string, ChannelEntity>;
  /** by lower-cased name; null when two channels share it */
  channelsByName: ReadonlyMap<string, ChannelEntity | null>;
  campaignsByName: ReadonlyMap<string, Campaign>;
  zone: string;
  now: Date;
}

/** The header's problems: an unknown column, or one the rows cannot do without. */
export function checkHeader(columns: readonly string[]): FieldError[] {
  const errors: FieldError[] = columns
    .filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c))
    .map((c) => ({
      field: `columns.${c}`,
      message: `is not a column an import takes (${IMPORT_COLUMNS.join(', ')})`,
    }));
  for (const needed of ['scheduledAt', 'text'] as const) {
    if (!columns.includes(needed)) errors.push({ field: `columns.${needed}`, message: 'is missing' });
  }
  if (!columns.includes('channelId') && !columns.includes('channelName')) {
    errors.push({ field: 'columns.channelId', message: 'is missing (or give channelName)' });
  }
  return errors;
}

/**
 * One row checked as a create would check it (the same limits, the channel's text
 * limit, a time that exists and is to come): its post, or its errors by column.
 */
export function checkRow(
  row: Partial<Record<Column, string>>,
  ctx: ImportContext,
): { post: ImportedPost } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const cell = (c: Column) => row[c]?.trim() ?? '';

  let channel: ChannelEntity | undefined;
  if (cell('channelId')) {
    channel = isUuid(cell('channelId')) ? ctx.channelsById.get(cell('channelId').toLowerCase()) : undefined;
    if (!channel) errors.push({ field: 'channelId', message: 'is not a channel of this workspace' });
  } else if (cell('channelName')) {
    const named = ctx.channelsByName.get(cell('channelName').toLowerCase());
    if (named === null)
      errors.push({ field: 'channelName', message: 'names more than one channel: use channelId' });
    else if (!named) errors.push({ field: 'channelName', message: 'is not a channel of this workspace' });
    else channel = named;
  } else {
    errors.push({ field: 'channelId', message: 'is empty (give channelId or channelName)' });
  }

  const text = row.text ?? '';
  if (!text.trim()) errors.push({ field: 'text', message: 'must not be empty' });
  else if (text.length > MAX_TEXT)
    errors.push({ field: 'text', message: `must be at most ${MAX_TEXT} characters` });

  const link = cell('link') || null;
  if (link && (link.length > 2048 || !isURL(link, URL_OPTIONS))) {
    errors.push({ field: 'link', message: 'must be an http(s) URL' });
  }
  const mediaUrls = cell('mediaUrls') ? cell('mediaUrls').split(/\s+/) : [];
  if (mediaUrls.length > MAX_MEDIA)
    errors.push({ field: 'mediaUrls', message: `must be at most ${MAX_MEDIA}` });
  else if (mediaUrls.some((u) => u.length > 2048 || !isURL(u, URL_OPTIONS))) {
    errors.push({ field: 'mediaUrls', message: 'must be http(s) URLs, separated by spaces' });
  }

  let campaignId: string | null = null;
  if (cell('campaign')) {
    const campaign = ctx.campaignsByName.get(cell('campaign').toLowerCase());
    if (!campaign)
      errors.push({ field: 'campaign', message: 'is not a campaign of this workspace (create it first)' });
    else campaignId = campaign.id;
  }

  let scheduledAt: Date | undefined;
  if (!cell('scheduledAt')) errors.push({ field: 'scheduledAt', message: 'must not be empty' });
  else if (channel && text.trim()) {
    try {
      scheduledAt = assertPostInput(
        { text, link, mediaUrls, scheduledAt: cell('scheduledAt') },
        channel,
        ctx.zone,
        ctx.now,
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push(...(error.errors ?? [{ field: 'scheduledAt', message: error.message }]));
    }
  }
  if (errors.length > 0 || !channel || !scheduledAt) return { errors };
  return { post: { channelId: channel.id, text, mediaUrls, link, scheduledAt, campaignId } };
}
