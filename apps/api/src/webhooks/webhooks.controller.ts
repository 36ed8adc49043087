import { AUDIT_ACTIONS, Capability, DomainError, type Actor } from '@app/domain';
import { WebhooksRepository, type WebhookSubscription } from '@app/persistence';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { OutboundHttp } from '@app/publishers';
import { assertReceiverUrl } from '../common/receiver-url';

export class WebhookSubscriptionDto {
  @ApiProperty({ example: 'https://tools.example/countersign' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(2048)
  url!: string;

  @ApiProperty({
    enum: AUDIT_ACTIONS,
    isArray: true,
    example: ['post.approved', 'post.published', 'workspace.paused'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(AUDIT_ACTIONS.length)
  @IsIn(AUDIT_ACTIONS, { each: true, message: `must be among ${AUDIT_ACTIONS.join(', ')}` })
  events!: string[];

  @ApiProperty({ description: 'HMAC key for X-Countersign-Signature (write-only)' })
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(256)
  secret!: string;
}

const subscriptionView = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  createdAt: new Date(s.createdAt).toISOString(),
});

/** Outbound webhooks: audit events pushed to other tools, signed, retried, logged. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly http: OutboundHttp,
  ) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.WebhooksManage)
  async create(@CurrentActor() actor: Actor, @Body() dto: WebhookSubscriptionDto) {
    assertReceiverUrl(this.http, 'url', dto.url);
    return subscriptionView(
      await this.webhooks.create(actor.workspaceId, dto.url, dto.secret, [...new Set(dto.events)]),
    );
  }

  @Get()
  @Can(Capability.WebhooksManage)
  async list(@CurrentActor() actor: Actor) {
    return { items: (await this.webhooks.list(actor.workspaceId)).map(subscriptionView), nextCursor: null };
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @Can(Capability.WebhooksManage)
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('webhookId', NotFoundUuidPipe) id: string,
  ): Promise<void> {
    if (!(await this.webhooks.revoke(actor.workspaceId, id))) throw DomainError.notFound('Webhook');
  }

  /** The last deliveries: each event, its status, how many tries, what the receiver said. */
  @Get(':webhookId/deliveries')
  @Can(Capability.WebhooksManage)
  async deliveries(@CurrentActor() actor: Actor, @Param('webhookId', NotFoundUuidPipe) id: string) {
    if (!(await this.webhooks.exists(actor.workspaceId, id))) throw DomainError.notFound('Webhook');
    return { items: await this.webhooks.deliveries(id, 200), nextCursor: null };
  }
}
