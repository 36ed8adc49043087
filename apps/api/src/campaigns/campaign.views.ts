import { POST_STATUSES, type PostStatus } from '@app/domain';
import type { Campaign } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class CampaignView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startsAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt!: string | null;
  @ApiProperty({ description: 'its posts are stopped at the gate (campaign_paused)' }) paused!: boolean;
  @ApiProperty({ type: String, nullable: true }) pauseReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const campaignView = (c: Campaign): CampaignView => ({
  id: c.id,
  name: c.name,
  description: c.description,
  startsAt: c.startsAt?.toISOString() ?? null,
  endsAt: c.endsAt?.toISOString() ?? null,
  paused: c.paused,
  pauseReason: c.pauseReason,
  createdAt: c.createdAt.toISOString(),
});

export class CampaignsView {
  @ApiProperty({ type: [CampaignView] }) items!: CampaignView[];
}

class CampaignPostView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty({ enum: POST_STATUSES }) status!: PostStatus;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) scheduledAt!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'the stage open for sign-off (0-based), if any' })
  openStage!: number | null;
  @ApiProperty({ description: 'sign-offs counted on the current version, across stages' }) approvals!: number;
  @ApiProperty({ description: 'sign-offs needed across stages' }) required!: number;
}

export class CampaignDetailView extends CampaignView {
  @ApiProperty({ type: [CampaignPostView], description: 'the posts the caller may see, by time' })
  posts!: CampaignPostView[];
}

/** What happened to one post of a campaign call. */
export class CampaignResultView {
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty({ description: 'true when the action was taken' }) ok!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'approved',
    description: `the post's status after (${POST_STATUSES.join(', ')}); null for a post not found`,
  })
  status!: PostStatus | null;
  @ApiProperty({ type: String, nullable: true, description: 'the problem code when refused' })
  code!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why it was refused, or skipped' })
  detail!: string | null;
}

export class CampaignResultsView {
  @ApiProperty({ type: [CampaignResultView] }) results!: CampaignResultView[];
}

class VariantView {
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the new draft, if made' })
  postId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why not, by field' }) error!: string | null;
}

export class VariantsView {
  @ApiProperty({ type: [VariantView] }) variants!: VariantView[];
}
