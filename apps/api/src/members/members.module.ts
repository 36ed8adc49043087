import { Module } from '@nestjs/common';
import { ReviewModule } from '../review/review.module';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

@Module({ imports: [ReviewModule], controllers: [MembersController], providers: [MembersService] })
export class MembersModule {}
