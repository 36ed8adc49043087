import type { AppConfig } from '@app/config';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { openDatabase } from './database-bootstrap';
import { dataSourceOptions } from './data-source-options';
import { CredentialsCipher } from './credentials-cipher';
import { ReviewReader } from './review-reader';
import {
  AccountEventsRepository,
  ApiKeysRepository,
  ApprovalsRepository,
  AuditRepository,
  CalendarFeedsRepository,
  CampaignsRepository,
  ChannelsRepository,
  CommentsRepository,
  ContentRulesRepository,
  DelegationsRepository,
  InvitationsRepository,
  MentionsRepository,
  OutboxRepository,
  PasswordResetsRepository,
  PostsRepository,
  PublishingRepository,
  ReviewDigestsRepository,
  ReviewLinksRepository,
  SecondFactorRepository,
  SealedValuesRepository,
  SessionsRepository,
  UsersRepository,
  NotificationsRepository,
  WebhooksRepository,
  WorkflowsRepository,
  WorkspacesRepository,
} from './repositories';

const REPOSITORIES = [
  UsersRepository,
  WorkspacesRepository,
  ApiKeysRepository,
  ChannelsRepository,
  PostsRepository,
  CalendarFeedsRepository,
  WorkflowsRepository,
  ApprovalsRepository,
  AuditRepository,
  OutboxRepository,
  ReviewReader,
  PublishingRepository,
  ContentRulesRepository,
  WebhooksRepository,
  NotificationsRepository,
  ReviewLinksRepository,
  ReviewDigestsRepository,
  SessionsRepository,
  PasswordResetsRepository,
  InvitationsRepository,
  DelegationsRepository,
  CommentsRepository,
  CampaignsRepository,
  MentionsRepository,
  SecondFactorRepository,
  SealedValuesRepository,
  AccountEventsRepository,
];

/** The TypeORM connection: the database is created and migrated before the app serves. */
@Module({})
export class PersistenceModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [...REPOSITORIES, { provide: CredentialsCipher, useValue: new CredentialsCipher(config) }],
      exports: [...REPOSITORIES, CredentialsCipher],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config),
          dataSourceFactory: () => openDatabase(dataSourceOptions(config), config.migrationsRun),
        }),
      ],
    };
  }
}
