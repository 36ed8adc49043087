import { ConfigModule, loggerModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { PublishersModule } from '@app/publishers';
import { QueueModule } from '@app/queue';
import { Module, type DynamicModule } from '@nestjs/common';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { MailWorker } from './publishing/mail.worker';
import { OutboxRelay } from './publishing/outbox-relay';
import { PublishService } from './publishing/publish.service';
import { PublishingLoad } from './publishing/publishing-load';
import { PublishWorker } from './publishing/publish.worker';
import { Reconciler } from './publishing/reconciler';
import { Reminders } from './publishing/reminders';
import { ReviewRequests } from './publishing/review-requests';
import { WebhookDeliveryWorker } from './publishing/webhook-delivery.worker';
import { WorkerMetricsServer } from './publishing/worker-metrics-server';

/** The worker: publishing (outbox relay, publish jobs, reconcile) and housekeeping. */
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
        PublishersModule,
      ],
      providers: [
        MaintenanceProcessor,
        Reconciler,
        PublishService,
        PublishWorker,
        PublishingLoad,
        OutboxRelay,
        WorkerMetricsServer,
        WebhookDeliveryWorker,
        MailWorker,
        ReviewRequests,
        Reminders,
      ],
    };
  }
}
