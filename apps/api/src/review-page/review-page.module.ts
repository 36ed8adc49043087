import { Module } from '@nestjs/common';
import { ReviewModule } from '../review/review.module';
import { ReviewPageController } from './review-page.controller';
import { ReviewPageService } from './review-page.service';

@Module({ imports: [ReviewModule], controllers: [ReviewPageController], providers: [ReviewPageService] })
export class ReviewPageModule {}
