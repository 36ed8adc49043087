/** An AT Protocol strong reference: a record's at:// URI and the CID of its content. */
export interface StrongRef {
  uri: string;
  cid: string;
}

/**
 * What a network needs to answer a mention: on Mastodon the status id (on the
 * channel's own instance), on Bluesky the parent post and the thread's root.
 */
export type ReplyRef =
  { network: 'mastodon'; statusId: string } | { network: 'bluesky'; root: StrongRef; parent: StrongRef };

/**
 * The text of a reply as it will be posted: on Mastodon the author is mentioned
 * at the start unless the text names them already (the instance notifies only
 * those named, as its own reply box does); Bluesky notifies the parent's author.
 */
export function replyText(ref: ReplyRef, authorHandle: string, text: string): string {
  if (ref.network !== 'mastodon') return text;
  const handle = authorHandle.startsWith('@') ? authorHandle : `@${authorHandle}`;
  const named = new RegExp(
    `(?<![\\w@.])${handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s,;:!?)]|\\.(?:\\s|$))`,
    'i',
  );
  return named.test(text) ? text : `${handle} ${text}`;
}
