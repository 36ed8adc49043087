import { DomainError } from '@app/domain';
import type { OutboundHttp } from '@app/publishers';

/** A receiver URL (channel, outbound webhook) the outbound policy would refuse: 400 naming `field`. */
export function assertReceiverUrl(http: OutboundHttp, field: string, url: string | undefined): void {
  const refusal = url === undefined ? null : http.policy.refusalOf(url);
  if (refusal) throw DomainError.invalid(field, refusal);
}
