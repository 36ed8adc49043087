import { Module } from '@nestjs/common';
import { PausingController } from './pausing.controller';
import { PausingService } from './pausing.service';

@Module({ controllers: [PausingController], providers: [PausingService] })
export class PausingModule {}
