import { Capability, type Actor } from '@app/domain';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { Returns } from '../common/views';
import { postView } from '../posts/post.views';
import { CalendarView } from './calendar.views';
import { CalendarService } from './calendar.service';
import { CalendarQueryDto } from './dto/calendar-query.dto';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /** `{timezone, days:[{date, posts}]}`: every day of the range, posts in time order, with local times. */
  @Get()
  @Can(Capability.CalendarRead)
  @ApiOperation({ summary: 'The calendar, by local day' })
  @Returns(CalendarView)
  async get(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Query() q: CalendarQueryDto,
  ): Promise<CalendarView> {
    const { timezone, days } = await this.calendar.days(actor, q, zone);
    return {
      timezone,
      from: q.from,
      to: q.to,
      days: days.map((d) => ({
        date: d.date,
        posts: d.posts.map(({ post, localTime }) => ({ ...postView(post, zone), localTime })),
      })),
    };
  }
}
