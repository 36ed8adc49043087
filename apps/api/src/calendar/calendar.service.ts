import {
  dayIndexOf,
  DomainError,
  localDays,
  localIso,
  POST_STATUSES,
  type Actor,
  type LocalDays,
  type PostStatus,
} from '@app/domain';
import { PostsRepository, type PostEntity } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { PostsService } from '../posts/posts.service';
import type { CalendarQueryDto } from './dto/calendar-query.dto';

export const MAX_CALENDAR_DAYS = 92;
/** A calendar shows at most this many posts; more in one range means the range is too wide. */
const MAX_CALENDAR_POSTS = 5000;
const DEFAULT_STATUSES: PostStatus[] = POST_STATUSES.filter((s) => s !== 'canceled');
/** Day bounds per (from, to, zone): the same months are asked for again and again. */
const RANGE_CACHE_SIZE = 512;

export interface CalendarDay {
  date: string;
  posts: Array<{ post: PostEntity; localTime: string }>;
}

/** Posts grouped by local day in a time zone; days follow the zone's DST changes. */
@Injectable()
export class CalendarService {
  private readonly ranges = new Map<string, LocalDays>();

  constructor(
    private readonly posts: PostsRepository,
    private readonly postsService: PostsService,
  ) {}

  async days(
    actor: Actor,
    q: CalendarQueryDto,
    workspaceTimezone: string,
  ): Promise<{ timezone: string; days: CalendarDay[] }> {
    const timezone = q.tz ?? workspaceTimezone;
    const range = this.localDays(q.from, q.to, timezone);
    const count = range.dates.length;
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
        from: new Date(range.starts[0]),
        to: new Date(range.starts[count]),
      },
      MAX_CALENDAR_POSTS,
    );

    const days: CalendarDay[] = range.dates.map((date) => ({ date, posts: [] }));
    for (const post of posts) {
      const at = post.scheduledAt.getTime();
      const index = dayIndexOf(range, at);
      if (index >= 0) days[index].posts.push({ post, localTime: localIso(range, index, at) });
    }
    return { timezone, days };
  }

  // Computing day bounds asks the tz database (Intl) a few times a day; remember them.
  private localDays(from: string, to: string, zone: string): LocalDays {
    const key = `${from}/${to}/${zone}`;
    let range = this.ranges.get(key);
    if (!range) {
      range = localDays(from, to, zone);
      if (this.ranges.size >= RANGE_CACHE_SIZE) this.ranges.delete(this.ranges.keys().next().value ?? '');
      this.ranges.set(key, range);
    }
    return range;
  }
}
