import { ConfigModule, loggerModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { PublishersModule } from '@app/publishers';
import { QueueModule } from '@app/queue';
import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { InvitationsModule } from './invitations/invitations.module';
import { MeModule } from './me/me.module';
import { SsoModule } from './sso/sso.module';
import { MfaModule } from './mfa/mfa.module';
import { PasswordsModule } from './passwords/passwords.module';
import { CalendarModule } from './calendar/calendar.module';
import { ChannelsModule } from './channels/channels.module';
import { ContentRulesModule } from './content-rules/content-rules.module';
import { HealthModule } from './health/health.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ImportsModule } from './imports/imports.module';
import { ListeningModule } from './listening/listening.module';
import { CommentsModule } from './comments/comments.module';
import { MembersModule } from './members/members.module';
import { MetricsModule } from './metrics/metrics.module';
import { PausingModule } from './pausing/pausing.module';
import { TakedownModule } from './takedown/takedown.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { ReviewLinksModule } from './review-links/review-links.module';
import { WorkflowsModule } from './workflows/workflows.module';
import { PostsModule } from './posts/posts.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

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
        PublishersModule,
        HealthModule,
        MetricsModule,
        AuthModule,
        MeModule,
        SsoModule,
        MfaModule,
        InvitationsModule,
        PasswordsModule,
        WorkspacesModule,
        MembersModule,
        CommentsModule,
        CampaignsModule,
        ImportsModule,
        ListeningModule,
        ApiKeysModule,
        ChannelsModule,
        PostsModule,
        CalendarModule,
        WorkflowsModule,
        ApprovalsModule,
        AuditModule,
        PausingModule,
        ContentRulesModule,
        TakedownModule,
        WebhooksModule,
        ReviewLinksModule,
      ],
    };
  }
}
