import { Identity1764072000000 } from './1764072000000-identity';
import { Calendar1764158400000 } from './1764158400000-calendar';
import { Approvals1764244800000 } from './1764244800000-approvals';
import { Publishing1764331200000 } from './1764331200000-publishing';
import { ContentRules1764417600000 } from './1764417600000-content-rules';
import { Lockdown1764504000000 } from './1764504000000-lockdown';
import { OutboundWebhooks1764590400000 } from './1764590400000-outbound-webhooks';
import { Notifications1764676800000 } from './1764676800000-notifications';
import { ReviewLinks1764763200000 } from './1764763200000-review-links';
import { StatementTriggers1764849600000 } from './1764849600000-statement-triggers';
import { KeyCreators1764936000000 } from './1764936000000-key-creators';
import { MailDigest1765022400000 } from './1765022400000-mail-digest';
import { Sessions1765108800000 } from './1765108800000-sessions';
import { PasswordResets1765195200000 } from './1765195200000-password-resets';
import { Invitations1765281600000 } from './1765281600000-invitations';
import { SecondFactor1765368000000 } from './1765368000000-second-factor';
import { AccountEvents1765454400000 } from './1765454400000-account-events';
import { VerifiedEmail1765540800000 } from './1765540800000-verified-email';
import { NetworkChannels1765627200000 } from './1765627200000-network-channels';
import { MediaAlt1765713600000 } from './1765713600000-media-alt';
import { PostPresentation1765800000000 } from './1765800000000-post-presentation';
import { Delegations1765886400000 } from './1765886400000-delegations';
import { Comments1765972800000 } from './1765972800000-comments';
import { Campaigns1766059200000 } from './1766059200000-campaigns';
import { PostImports1766145600000 } from './1766145600000-post-imports';
import { Listening1766232000000 } from './1766232000000-listening';
import { MentionPolling1766318400000 } from './1766318400000-mention-polling';
import { MentionReplies1766404800000 } from './1766404800000-mention-replies';

/** Every migration, in order. `npm run migration:generate` writes a file; add it here. */
export const MIGRATIONS: Function[] = [
  Identity1764072000000,
  Calendar1764158400000,
  Approvals1764244800000,
  Publishing1764331200000,
  ContentRules1764417600000,
  Lockdown1764504000000,
  OutboundWebhooks1764590400000,
  Notifications1764676800000,
  ReviewLinks1764763200000,
  StatementTriggers1764849600000,
  KeyCreators1764936000000,
  MailDigest1765022400000,
  Sessions1765108800000,
  PasswordResets1765195200000,
  Invitations1765281600000,
  SecondFactor1765368000000,
  AccountEvents1765454400000,
  VerifiedEmail1765540800000,
  NetworkChannels1765627200000,
  MediaAlt1765713600000,
  PostPresentation1765800000000,
  Delegations1765886400000,
  Comments1765972800000,
  Campaigns1766059200000,
  PostImports1766145600000,
  Listening1766232000000,
  MentionPolling1766318400000,
  MentionReplies1766404800000,
];
