import { ConfigModule, loggerModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { PublishersModule } from '@app/publishers';
import { QueueModule } from '@app/queue';
import { Module, type DynamicModule } from '@nestjs/common';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MailWorker } from './notifications/mail.worker';
import { OutboxRelay } from './outbox/outbox-relay';
import { ChannelConnections } from './publishing/channel-connections';
import { ChannelHolds } from './publishing/channel-holds';
import { PublishService } from './publishing/publish.service';
import { PublishingLoad } from './publishing/publishing-load';
import { PublishWorker } from './publishing/publish.worker';
import { Reconciler } from './publishing/reconciler';
import { AccountMails } from './notifications/account-mails';
import { Housekeeping } from './maintenance/housekeeping';
import { SpikeWatchRun } from './listening/spike-watch';
import { MentionPolling } from './listening/mention-polling';
import { ListeningWorker } from './listening/listening.worker';
import { ReviewDigests } from './notifications/review-digests';
import { Reminders } from './notifications/reminders';
import { ReviewRequests } from './notifications/review-requests';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WorkerMetricsServer } from './metrics/worker-metrics-server';

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
        ChannelHolds,
        ChannelConnections,
        PublishingLoad,
        OutboxRelay,
        WorkerMetricsServer,
        WebhookDeliveryWorker,
        MailWorker,
        ReviewRequests,
        Reminders,
        ReviewDigests,
        AccountMails,
        Housekeeping,
        SpikeWatchRun,
        MentionPolling,
        ListeningWorker,
      ],
    };
  }
}
