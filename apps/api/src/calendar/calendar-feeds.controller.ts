import { Capability, DomainError, type Actor } from '@app/domain';
import type { CalendarFeedEntity } from '@app/persistence';
import { Controller, Delete, Get, HttpCode, Param, Post, Res, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiProperty } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Can, CurrentActor, Public } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { PageOf, Returns } from '../common/views';
import { CalendarFeedsService } from './calendar-feeds.service';

class CalendarFeedView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A feed just made: its secret URL is in this answer only. */
class NewCalendarFeedView extends CalendarFeedView {
  @ApiProperty({ description: 'the secret iCalendar URL to subscribe to; shown once' }) url!: string;
}

const feedView = (f: CalendarFeedEntity): CalendarFeedView => ({
  id: f.id,
  createdAt: f.createdAt.toISOString(),
});
const FEED_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/calendar-feeds')
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  /** A secret URL for Google Calendar / Outlook; shown once (only its hash is kept). */
  @Post()
  @HttpCode(201)
  @Can(Capability.CalendarFeedsManage)
  @ApiOperation({ summary: 'Create a secret iCalendar feed URL' })
  @Returns(NewCalendarFeedView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor) {
    const { feed, url } = await this.feeds.create(actor);
    return { ...feedView(feed), url };
  }

  @Get()
  @Can(Capability.CalendarFeedsManage)
  @ApiOperation({ summary: 'List calendar feeds' })
  @Returns(PageOf(CalendarFeedView))
  async list(@CurrentActor() actor: Actor) {
    return { items: (await this.feeds.list(actor)).map(feedView), nextCursor: null };
  }

  @Delete(':feedId')
  @HttpCode(204)
  @Can(Capability.CalendarFeedsManage)
  @ApiOperation({ summary: 'Revoke a calendar feed' })
  async revoke(@CurrentActor() actor: Actor, @Param('feedId', NotFoundUuidPipe) id: string): Promise<void> {
    await this.feeds.revoke(actor, id);
  }
}

@ApiTags('calendar')
@Controller('v1/calendar-feeds')
export class CalendarFeedFileController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  /** The feed itself: the token in the path is the credential. */
  @Public()
  @Get(':file')
  @ApiOperation({ summary: 'A calendar feed (iCalendar), by its secret URL' })
  async file(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const token = FEED_FILE.exec(file)?.[1];
    if (!token) throw DomainError.notFound('Calendar feed');
    const body = await this.feeds.render(token);
    void reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      .header('content-disposition', 'inline; filename="countersign.ics"');
    return body;
  }
}
