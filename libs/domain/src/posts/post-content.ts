import { createHash } from 'node:crypto';

/** What a post says: the part that sign-offs are pinned to. */
export interface PostContent {
  channelId: string;
  text: string;
  mediaUrls: string[];
  /** alt text of each media, in the same order; [] when none has any */
  mediaAlt: string[];
  link: string | null;
  /** shown before the text, which stays hidden until opened (Mastodon's spoiler_text) */
  contentWarning: string | null;
  /** who sees it (Mastodon; every other network shows every post to everyone) */
  visibility: PostVisibility;
  /** BCP 47 language tag of the text; null: the network guesses */
  language: string | null;
}

/** Mastodon's audiences, widest first. Other networks publish every post to everyone. */
export const POST_VISIBILITIES = ['public', 'unlisted', 'private', 'direct'] as const;
export type PostVisibility = (typeof POST_VISIBILITIES)[number];

/** What a post says that networks show around its text, in the order it is hashed. */
const SHOWN_WITH_FIELDS = [
  'contentWarning',
  'visibility',
  'language',
] as const satisfies readonly (keyof PostContent)[];
export type ShownWithField = (typeof SHOWN_WITH_FIELDS)[number];

const CONTENT_FIELDS = [
  'channelId',
  'text',
  'mediaUrls',
  'link',
] as const satisfies readonly (keyof PostContent)[];

/** Alt text as kept: one per media, or none at all when every one is empty. */
export function normalizedAlt(mediaUrls: readonly string[], alt: readonly string[] | undefined): string[] {
  const texts = mediaUrls.map((_, i) => alt?.[i]?.trim() ?? '');
  return texts.some((a) => a.length > 0) ? texts : [];
}

/** A language tag in its canonical spelling (`pt-br` → `pt-BR`), or null when it is not one. */
export function canonicalLanguage(tag: string): string | null {
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * SHA-256 over the content fields in a fixed order: equal content, equal hash. Alt
 * text, then the content warning, visibility and language joined the content later:
 * a post without them hashes as it did before.
 */
export function contentHash(content: PostContent): string {
  const values: unknown[] = CONTENT_FIELDS.map((f) => content[f]);
  if (content.mediaAlt.length > 0) values.push(content.mediaAlt);
  if (content.contentWarning !== null || content.visibility !== 'public' || content.language !== null) {
    values.push(Object.fromEntries(SHOWN_WITH_FIELDS.map((f) => [f, content[f]])));
  }
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** The content fields whose values differ between two versions. */
export function changedContentFields(before: PostContent, after: PostContent): Array<keyof PostContent> {
  return [...CONTENT_FIELDS, 'mediaAlt' as const, ...SHOWN_WITH_FIELDS].filter(
    (f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]),
  );
}

/** How a media URL is shown to a reviewer: by its file extension, as the networks tell them apart. */
export type MediaKind = 'image' | 'video' | 'other';

const IMAGE = /\.(jpe?g|png|gif|webp|avif|heic|bmp)$/i;
const VIDEO = /\.(mp4|m4v|mov|webm|ogv)$/i;

export function mediaKindOf(url: string): MediaKind {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return 'other';
  }
  return IMAGE.test(path) ? 'image' : VIDEO.test(path) ? 'video' : 'other';
}

/** What changed between two versions of a post's content, for a reviewer to see. */
export interface ContentChanges {
  textChanged: boolean;
  /** some media's alt text changed */
  altChanged: boolean;
  /** which of contentWarning, visibility and language changed */
  shownWithChanged: ShownWithField[];
  mediaAdded: string[];
  mediaRemoved: string[];
  /** the link before and after, when it changed */
  link: { before: string | null; after: string | null } | null;
  channelChanged: boolean;
}

/** The reviewer's view of `changedContentFields`: null when the content is the same. */
export function contentChanges(before: PostContent, after: PostContent): ContentChanges | null {
  const changed = changedContentFields(before, after);
  if (changed.length === 0) return null;
  return {
    textChanged: changed.includes('text'),
    altChanged: changed.includes('mediaAlt'),
    shownWithChanged: SHOWN_WITH_FIELDS.filter((f) => changed.includes(f)),
    mediaAdded: after.mediaUrls.filter((u) => !before.mediaUrls.includes(u)),
    mediaRemoved: before.mediaUrls.filter((u) => !after.mediaUrls.includes(u)),
    link: changed.includes('link') ? { before: before.link, after: after.link } : null,
    channelChanged: changed.includes('channelId'),
  };
}

/** The first words of a post on one line, cut at a word: what a subject or a calendar title shows. */
export function firstWords(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : max)}…`;
}
