import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { CalendarFeedFileController, CalendarFeedsController } from './calendar-feeds.controller';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

@Module({
  imports: [PostsModule],
  controllers: [CalendarController, CalendarFeedsController, CalendarFeedFileController],
  providers: [CalendarService, CalendarFeedsService],
})
export class CalendarModule {}
