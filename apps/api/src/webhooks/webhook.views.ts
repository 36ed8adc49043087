import type { WebhookSubscription } from '@app/persistence';

export const subscriptionView = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  createdAt: new Date(s.createdAt).toISOString(),
});
