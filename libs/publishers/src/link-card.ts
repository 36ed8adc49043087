import type { OutboundHttp } from './outbound-http';

/** What a link card shows: the page's own title and description, as its Open Graph tags (or <title>) say. */
export interface LinkCard {
  uri: string;
  title: string;
  description: string;
}

/** Only the start of a page is read: the <head> is there. */
const MAX_PAGE_BYTES = 256 * 1024;
const MAX_WAIT_MS = 5000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

const decode = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&([a-z]+);/gi, (whole, name: string) => ENTITIES[name.toLowerCase()] ?? whole)
    .replace(/\s+/g, ' ')
    .trim();

/** The content of `<meta property|name="<name>" content="...">`, in either attribute order. */
function meta(html: string, name: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const key = /\b(?:property|name)\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
    if (key?.toLowerCase() !== name) continue;
    const content = /\bcontent\s*=\s*"([^"]*)"|\bcontent\s*=\s*'([^']*)'/i.exec(tag);
    if (content) return decode(content[1] ?? content[2] ?? '');
  }
  return null;
}

/** A card of the page's HTML: og:title (else <title>, else the host) and og:description. */
export function readCard(uri: string, html: string): LinkCard {
  const title = meta(html, 'og:title') ?? decode(/<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1] ?? '');
  return {
    uri,
    title: (title || new URL(uri).host).slice(0, 300),
    description: (meta(html, 'og:description') ?? meta(html, 'description') ?? '').slice(0, 1000),
  };
}

/**
 * The card of a post's link, from the page itself (fetched through the outbound
 * policy, its start only, within five seconds); a page that cannot be read gets a
 * card of its host.
 */
export async function linkCardOf(http: OutboundHttp, uri: string, timeoutMs: number): Promise<LinkCard> {
  try {
    const answer = await http.send({
      method: 'GET',
      url: new URL(uri),
      headers: { accept: 'text/html', 'user-agent': 'Countersign/1 (link card)' },
      timeoutMs: Math.min(timeoutMs, MAX_WAIT_MS),
      maxBytes: MAX_PAGE_BYTES,
    });
    const html = /html/i.test(answer.headers['content-type'] ?? '') ? answer.body.toString('utf8') : '';
    return readCard(uri, answer.status >= 200 && answer.status < 300 ? html : '');
  } catch {
    return readCard(uri, '');
  }
}
