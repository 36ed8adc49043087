import { AppConfig } from '@app/config';
import { DomainError, firstWords, POST_STATUSES, type Actor, type PostStatus } from '@app/domain';
import {
  CalendarFeedsRepository,
  CampaignsRepository,
  ChannelsRepository,
  PostsRepository,
  WorkspacesRepository,
  type CalendarFeedEntity,
  newSecretToken,
  secretTokenHash,
} from '@app/persistence';
import { Injectable } from '@nestjs/common';
import icalGenerator from 'ical-generator';
import { DateTime } from 'luxon';
import { vtimezone } from './vtimezone';

/** How a post's status reads at the head of its event's summary. */
const STATUS_LABELS: Record<PostStatus, string> = {
  draft: 'Draft',
  in_review: 'Awaiting approval',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  blocked: 'Blocked',
  expired: 'Expired',
  canceled: 'Canceled',
  taken_down: 'Taken down',
};

/** What a subscribed calendar shows: what is planned or went out, not what was dropped. */
const FEED_STATUSES = POST_STATUSES.filter((s) => !['canceled', 'expired', 'taken_down'].includes(s));
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 366;
const FEED_MAX_EVENTS = 5000;

/** Secret iCalendar feed URLs a calendar app can subscribe to; revocable, stored hashed. */
@Injectable()
export class CalendarFeedsService {
  constructor(
    private readonly feeds: CalendarFeedsRepository,
    private readonly posts: PostsRepository,
    private readonly channels: ChannelsRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly campaigns: CampaignsRepository,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor): Promise<{ feed: CalendarFeedEntity; url: string }> {
    const { token, hash } = newSecretToken();
    const feed = await this.feeds.create({
      workspaceId: actor.workspaceId,
      tokenHash: hash,
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    return { feed, url: `${this.config.publicUrl}/v1/calendar-feeds/${token}.ics` };
  }

  list(actor: Actor): Promise<CalendarFeedEntity[]> {
    return this.feeds.listActive(actor.workspaceId);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    if (!(await this.feeds.revoke(actor.workspaceId, id))) throw DomainError.notFound('Calendar feed');
  }

  /** The RFC 5545 calendar of a feed token: the workspace's posts from a month ago to a year ahead. */
  async render(token: string): Promise<string> {
    const feed = await this.feeds.findActiveByTokenHash(secretTokenHash(token));
    if (!feed) throw DomainError.notFound('Calendar feed');
    const workspace = await this.workspaces.findById(feed.workspaceId);
    if (!workspace) throw DomainError.notFound('Calendar feed');

    const now = DateTime.utc();
    const posts = await this.posts.inRange(
      {
        workspaceId: workspace.id,
        statuses: FEED_STATUSES,
        from: now.minus({ days: FEED_PAST_DAYS }).toJSDate(),
        to: now.plus({ days: FEED_FUTURE_DAYS }).toJSDate(),
      },
      FEED_MAX_EVENTS,
    );
    const channels = new Map<string, string>();
    for (const channelId of new Set(posts.map((p) => p.channelId))) {
      const channel = await this.channels.findInWorkspace(workspace.id, channelId);
      channels.set(channelId, channel?.name ?? 'a channel');
    }

    const campaigns = new Map((await this.campaigns.list(workspace.id)).map((c) => [c.id, c.name]));

    const zone = workspace.timezone;
    const [from, to] = [now.minus({ days: FEED_PAST_DAYS + 1 }), now.plus({ days: FEED_FUTURE_DAYS + 1 })];
    const calendar = icalGenerator({
      name: `Countersign: ${workspace.name}`,
      prodId: { company: 'Countersign', product: 'editorial-calendar', language: 'EN' },
      // Local times in the workspace's zone (X-WR-TIMEZONE), with the VTIMEZONE that defines them.
      timezone: { name: zone, generator: (tz) => vtimezone(tz, from.toJSDate(), to.toJSDate()) },
      ttl: 15 * 60,
    });
    const minutes = this.config.calendarEventMinutes;
    for (const post of posts) {
      const start = DateTime.fromJSDate(post.scheduledAt, { zone });
      const campaign = post.campaignId ? campaigns.get(post.campaignId) : undefined;
      calendar.createEvent({
        id: `${post.id}@countersign`,
        sequence: post.version,
        start,
        end: start.plus({ minutes }),
        timezone: zone,
        stamp: post.updatedAt,
        lastModified: post.updatedAt,
        summary: [STATUS_LABELS[post.status], channels.get(post.channelId), firstWords(post.text, 60)].join(
          ' · ',
        ),
        description: [
          post.text,
          '',
          `Status: ${STATUS_LABELS[post.status]} (version ${post.version})`,
          ...(campaign ? [`Campaign: ${campaign}`] : []),
          ...(post.link ? [`Link: ${post.link}`] : []),
        ].join('\n'),
        categories: campaign ? [{ name: campaign }] : [],
        url: `${this.config.publicUrl}/v1/workspaces/${workspace.id}/posts/${post.id}`,
      });
    }
    return calendar.toString();
  }
}
