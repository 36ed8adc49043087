import { Module } from '@nestjs/common';
import { ContentRulesController } from './content-rules.controller';

@Module({ controllers: [ContentRulesController] })
export class ContentRulesModule {}
