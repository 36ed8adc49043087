import { SentimentScorer } from '@app/domain';
import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module';
import { InboundMentionsController, ListeningController } from './listening.controller';
import { ListeningService } from './listening.service';

@Module({
  imports: [PostsModule],
  controllers: [ListeningController, InboundMentionsController],
  providers: [ListeningService, { provide: SentimentScorer, useFactory: () => new SentimentScorer() }],
})
export class ListeningModule {}
