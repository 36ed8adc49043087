import { Capability, type Actor } from '@app/domain';
import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentActor, WorkspaceTimezone } from '../access/access.decorators';
import { NotFoundUuidPipe } from '../common/not-found-uuid.pipe';
import { Returns } from '../common/views';
import { Problems } from '../openapi';
import {
  CampaignApprovalsDto,
  CampaignPauseDto,
  CampaignVariantsDto,
  CreateCampaignDto,
} from './campaign.dto';
import {
  CampaignDetailView,
  CampaignResultsView,
  campaignView,
  CampaignView,
  CampaignsView,
  VariantsView,
} from './campaign.views';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('v1/workspaces/:workspaceId/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @HttpCode(201)
  @Can(Capability.CampaignsManage)
  @ApiOperation({ summary: 'Plan a campaign: one message across channels' })
  @Problems(409)
  @Returns(CampaignView, HttpStatus.CREATED)
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateCampaignDto): Promise<CampaignView> {
    return campaignView(await this.campaigns.create(actor, dto));
  }

  @Get()
  @Can(Capability.PostsRead)
  @ApiOperation({ summary: "The workspace's campaigns, newest first" })
  @Returns(CampaignsView)
  async list(@CurrentActor() actor: Actor): Promise<CampaignsView> {
    return { items: (await this.campaigns.list(actor)).map((c) => campaignView(c)) };
  }

  @Get(':campaignId')
  @Can(Capability.PostsRead)
  @ApiOperation({
    summary: 'A campaign with its posts (those the caller may see), each with its status and review progress',
  })
  @Returns(CampaignDetailView)
  async get(
    @CurrentActor() actor: Actor,
    @Param('campaignId', NotFoundUuidPipe) id: string,
  ): Promise<CampaignDetailView> {
    const { campaign, posts } = await this.campaigns.get(actor, id);
    return { ...campaignView(campaign), posts };
  }

  @Post(':campaignId/submit')
  @HttpCode(200)
  @Can(Capability.PostsWrite)
  @ApiOperation({
    summary:
      'Submit every draft of the campaign, each as one submit would; the answer says what happened to each',
  })
  @Returns(CampaignResultsView)
  async submit(
    @CurrentActor() actor: Actor,
    @Param('campaignId', NotFoundUuidPipe) id: string,
  ): Promise<CampaignResultsView> {
    return { results: await this.campaigns.submit(actor, id) };
  }

  @Post(':campaignId/approvals')
  @HttpCode(200)
  @Can(Capability.PostsApprove)
  @ApiOperation({
    summary: 'Sign off (or reject) each listed post at its version, each under its own stage rules',
  })
  @Returns(CampaignResultsView)
  async approvals(
    @CurrentActor() actor: Actor,
    @Param('campaignId', NotFoundUuidPipe) id: string,
    @Body() dto: CampaignApprovalsDto,
  ): Promise<CampaignResultsView> {
    return { results: await this.campaigns.decide(actor, id, dto) };
  }

  @Post(':campaignId/cancel')
  @HttpCode(200)
  @Can(Capability.PostsCancel)
  @ApiOperation({ summary: 'Cancel every post of the campaign not yet going out' })
  @Returns(CampaignResultsView)
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('campaignId', NotFoundUuidPipe) id: string,
  ): Promise<CampaignResultsView> {
    return { results: await this.campaigns.cancel(actor, id) };
  }

  @Post(':campaignId/pause')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: "Stop the campaign's posts at the gate (campaign_paused) until resumed" })
  @Returns(CampaignView)
  async pause(
    @CurrentActor() actor: Actor,
    @Param('campaignId', NotFoundUuidPipe) id: string,
    @Body() dto: CampaignPauseDto,
  ): Promise<CampaignView> {
    return campaignView(await this.campaigns.setPaused(actor, id, true, dto.reason.trim() || null));
  }

  @Post(':campaignId/resume')
  @HttpCode(200)
  @Can(Capability.PublishingPause)
  @ApiOperation({ summary: "Let the campaign's posts through the gate again" })
  @Returns(CampaignView)
  async resume(
    @CurrentActor() actor: Actor,
    @Param('campaignId', NotFoundUuidPipe) id: string,
    @Body() dto: CampaignPauseDto,
  ): Promise<CampaignView> {
    return campaignView(await this.campaigns.setPaused(actor, id, false, dto.reason.trim() || null));
  }

  @Post(':campaignId/variants')
  @HttpCode(200)
  @Can(Capability.PostsWrite)
  @ApiOperation({
    summary:
      'Copy a post of the campaign to other channels as drafts (those that do not fit are listed, not made)',
  })
  @Returns(VariantsView)
  async variants(
    @CurrentActor() actor: Actor,
    @WorkspaceTimezone() zone: string,
    @Param('campaignId', NotFoundUuidPipe) id: string,
    @Body() dto: CampaignVariantsDto,
  ): Promise<VariantsView> {
    return { variants: await this.campaigns.variants(actor, zone, id, dto) };
  }
}
