import { Module } from '@nestjs/common';
import { InboundMentionsController, ListeningController } from './listening.controller';
import { ListeningService } from './listening.service';
import { SentimentScorer } from '@app/domain';

@Module({
  controllers: [ListeningController, InboundMentionsController],
  providers: [ListeningService, { provide: SentimentScorer, useFactory: () => new SentimentScorer() }],
})
export class ListeningModule {}
