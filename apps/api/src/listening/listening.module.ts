import { Module } from '@nestjs/common';
import { InboundMentionsController, ListeningController } from './listening.controller';
import { ListeningService } from './listening.service';
import { SentimentScorer } from './sentiment';

@Module({
  controllers: [ListeningController, InboundMentionsController],
  providers: [ListeningService, SentimentScorer],
})
export class ListeningModule {}
