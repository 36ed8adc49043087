import { basename } from 'node:path';
import type { OutboundHttp } from './outbound-http';
import { unreachable } from './network-api';
import { PublishError } from './publisher';

/** A post's image or video, fetched to be uploaded to a network. */
export interface MediaFile {
  url: string;
  data: Buffer;
  contentType: string;
  filename: string;
}

/**
 * Fetches one of a post's media URLs (through the outbound policy, like every call
 * out), refusing what is not an image or a video or is larger than the network
 * takes: a refusal for good, since the same file will be as large next time.
 */
export async function fetchMedia(
  http: OutboundHttp,
  url: string,
  limits: { maxBytes: number; timeoutMs: number },
): Promise<MediaFile> {
  let answer;
  try {
    answer = await http.send({
      method: 'GET',
      url: new URL(url),
      timeoutMs: limits.timeoutMs,
      maxBytes: limits.maxBytes,
    });
  } catch (error) {
    throw unreachable(`media ${url}`, error);
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new PublishError(`media ${url} answered ${answer.status}`, answer.status >= 500, answer.status);
  }
  if (answer.cut) {
    throw new PublishError(
      `media ${url} is larger than the ${limits.maxBytes} bytes the network takes`,
      false,
    );
  }
  const contentType = (answer.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!/^(image|video)\//.test(contentType)) {
    throw new PublishError(
      `media ${url} is ${contentType || 'of no stated type'}, not an image or a video`,
      false,
    );
  }
  return { url, data: answer.body, contentType, filename: basename(new URL(url).pathname) || 'media' };
}
