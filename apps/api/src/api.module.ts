import { ConfigModule, loggerModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { QueueModule } from '@app/queue';
import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';

/** The HTTP API: every route of DESIGN.md's REST contract. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config),
        PersistenceModule.forRoot(config),
        QueueModule.forRoot(config),
        HealthModule,
        MetricsModule,
      ],
    };
  }
}
