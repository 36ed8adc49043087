/**
 * What Bluesky calls facets: the links, mentions and hashtags of a text, each at
 * its UTF-8 byte range (the AT Protocol counts bytes, not characters), detected
 * the way Bluesky's own clients detect them (app.bsky.richtext.facet).
 */
export type Facet =
  | { kind: 'link'; byteStart: number; byteEnd: number; uri: string }
  | { kind: 'mention'; byteStart: number; byteEnd: number; handle: string }
  | { kind: 'tag'; byteStart: number; byteEnd: number; tag: string };

const LINK = /(^|[\s(])(https?:\/\/[^\s<>"]+)/giu;
const MENTION = /(^|[\s(])@([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+)/giu;
// Not in a tag: white space, soft hyphens and the invisible joiners (each alone, not joined).
const TAG = /(^|\s)[#＃]((?:(?!\u00AD|\u2060|\u200A|\u200B|\u200C|\u200D|\u20E2|#|＃)\S)+)/gu;
/** What a link or a tag does not end with: a sentence's punctuation after it. */
const TRAILING = /[.,;:!?'"’”)\]]+$/u;
/** Bluesky takes tags of up to 64 characters, not all digits. */
const MAX_TAG = 64;

const count = (text: string, char: string): number => text.split(char).length - 1;

/** A link without the sentence's punctuation after it; a `)` stays when the link opened it (Wikipedia-style). */
function trimLink(link: string): string {
  let uri = link;
  for (;;) {
    const last = uri.at(-1) ?? '';
    if (last === ')' ? count(uri, '(') >= count(uri, ')') : !TRAILING.test(last)) return uri;
    uri = uri.slice(0, -1);
  }
}

const bytes = (text: string, index: number): number => Buffer.byteLength(text.slice(0, index), 'utf8');

/** The facets of `text`, in order. */
export function findFacets(text: string): Facet[] {
  const facets: Facet[] = [];
  for (const m of text.matchAll(LINK)) {
    const uri = trimLink(m[2]);
    const start = m.index + m[1].length;
    facets.push({
      kind: 'link',
      byteStart: bytes(text, start),
      byteEnd: bytes(text, start + uri.length),
      uri,
    });
  }
  for (const m of text.matchAll(MENTION)) {
    const handle = m[2].replace(/\.+$/, '');
    if (!/\.[a-z][a-z0-9-]*$/i.test(handle)) continue;
    const start = m.index + m[1].length;
    facets.push({
      kind: 'mention',
      byteStart: bytes(text, start),
      byteEnd: bytes(text, start + 1 + handle.length),
      handle: handle.toLowerCase(),
    });
  }
  for (const m of text.matchAll(TAG)) {
    const tag = m[2].replace(TRAILING, '').replace(/\p{P}+$/u, '');
    if (!tag || /^\d+$/.test(tag) || [...tag].length > MAX_TAG) continue;
    const start = m.index + m[1].length;
    facets.push({
      kind: 'tag',
      byteStart: bytes(text, start),
      byteEnd: bytes(text, start + 1 + tag.length),
      tag,
    });
  }
  return facets.sort((a, b) => a.byteStart - b.byteStart);
}
