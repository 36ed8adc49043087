import { DomainError, POST_STATUSES, type Actor, type PostStatus } from '@app/domain';
import { PostsRepository, WorkspacesRepository, type PostEntity } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { PostsService } from '../posts/posts.service';
import type { CalendarQueryDto } from './dto/calendar-query.dto';

export const MAX_CALENDAR_DAYS = 92;
/** A calendar shows at most this many posts; more in one range means the range is too wide. */
const MAX_CALENDAR_POSTS = 5000;
const DEFAULT_STATUSES: PostStatus[] = POST_STATUSES.filter((s) => s !== 'canceled');

export interface CalendarDay {
  date: string;
  posts: PostEntity[];
}

/** Posts grouped by local day in a time zone; days follow the zone's DST changes (luxon). */
@Injectable()
export class CalendarService {
  constructor(
    private readonly posts: PostsRepository,
    private readonly postsService: PostsService,
    private readonly workspaces: WorkspacesRepository,
  ) {}

  async days(actor: Actor, q: CalendarQueryDto): Promise<{ timezone: string; days: CalendarDay[] }> {
    const timezone = q.tz ?? (await this.workspaces.findById(actor.workspaceId))?.timezone ?? 'UTC';
    const first = DateTime.fromISO(q.from, { zone: timezone }).startOf('day');
    const last = DateTime.fromISO(q.to, { zone: timezone }).startOf('day');
    const count = Math.round(last.diff(first, 'days').days) + 1;
    if (count < 1) throw DomainError.invalid('to', 'must not be before from');
    if (count > MAX_CALENDAR_DAYS) {
      throw DomainError.invalid(
        'to',
        `the range is ${count} days; a calendar shows at most ${MAX_CALENDAR_DAYS}`,
      );
    }

    const posts = await this.posts.inRange(
      {
        ...this.postsService.visibleTo(actor),
        channelId: q.channelId,
        statuses: q.status ?? DEFAULT_STATUSES,
        from: first.toJSDate(),
        to: last.plus({ days: 1 }).toJSDate(),
      },
      MAX_CALENDAR_POSTS,
    );

    const days: CalendarDay[] = Array.from({ length: count }, (_, i) => ({
      date: first.plus({ days: i }).toISODate() ?? '',
      posts: [],
    }));
    const byDate = new Map(days.map((d) => [d.date, d]));
    for (const post of posts) {
      byDate
        .get(DateTime.fromJSDate(post.scheduledAt, { zone: timezone }).toISODate() ?? '')
        ?.posts.push(post);
    }
    return { timezone, days };
  }
}
