import { Module } from '@nestjs/common';
import { ContentRulesController } from './content-rules.controller';
import { ContentRulesService } from './content-rules.service';

@Module({ controllers: [ContentRulesController], providers: [ContentRulesService] })
export class ContentRulesModule {}
