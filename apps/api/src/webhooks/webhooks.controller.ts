import { Capability, type Actor } from '@app/domain';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, HttpStatus } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { WebhookSubscriptionDto } from './dto/webhook-subscription.dto';
import {
  deliveryView,
  subscriptionView,
  WebhookDeliveryView,
  WebhookSubscriptionView,
} from './webhook.views';
import { PageOf, Returns } from '../common/views';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks: audit events pushed to other tools, signed, retried, logged. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.WebhooksManage)
  @ApiOperation({ summary: 'Subscribe a URL to audit events' })
  @Returns(WebhookSubscriptionView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor, @Body() dto: WebhookSubscriptionDto) {
    return subscriptionView(await this.webhooks.create(actor, dto));
  }

  @Get()
  @Can(Capability.WebhooksManage)
  @ApiOperation({ summary: 'List webhook subscriptions' })
  @Returns(PageOf(WebhookSubscriptionView))
  async list(@CurrentActor() actor: Actor) {
    return { items: (await this.webhooks.list(actor)).map(subscriptionView), nextCursor: null };
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @Can(Capability.WebhooksManage)
  @ApiOperation({ summary: 'Delete a webhook subscription' })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('webhookId', NotFoundUuidPipe) id: string,
  ): Promise<void> {
    await this.webhooks.revoke(actor, id);
  }

  /** The last deliveries: each event, its status, how many tries, what the receiver said. */
  @Get(':webhookId/deliveries')
  @Can(Capability.WebhooksManage)
  @ApiOperation({ summary: "A webhook subscription's last deliveries" })
  @Returns(PageOf(WebhookDeliveryView))
  async deliveries(@CurrentActor() actor: Actor, @Param('webhookId', NotFoundUuidPipe) id: string) {
    return { items: (await this.webhooks.deliveries(actor, id)).map(deliveryView), nextCursor: null };
  }
}
