import { ConfigModule, loggerModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { QueueModule } from '@app/queue';
import { Module, type DynamicModule } from '@nestjs/common';
import { HeartbeatProcessor } from './processors/heartbeat.processor';

/** The worker: BullMQ processors (publish, mail, reminders, reconcile as they arrive). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config),
        PersistenceModule.forRoot(config),
        QueueModule.forRoot(config),
      ],
      providers: [HeartbeatProcessor],
    };
  }
}
