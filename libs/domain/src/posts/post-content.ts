import { createHash } from 'node:crypto';

/** What a post says: the part that sign-offs are pinned to. */
export interface PostContent {
  channelId: string;
  text: string;
  mediaUrls: string[];
  link: string | null;
}

const CONTENT_FIELDS = [
  'channelId',
  'text',
  'mediaUrls',
  'link',
] as const satisfies readonly (keyof PostContent)[];

/** SHA-256 over the content fields in a fixed order: equal content, equal hash. */
export function contentHash(content: PostContent): string {
  const canonical = JSON.stringify(CONTENT_FIELDS.map((f) => content[f]));
  return createHash('sha256').update(canonical).digest('hex');
}

/** The content fields whose values differ between two versions. */
export function changedContentFields(before: PostContent, after: PostContent): Array<keyof PostContent> {
  return CONTENT_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}
