import { COMMENT_VISIBILITIES, type CommentVisibility } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';

class CommentAuthorView {
  @ApiProperty({ enum: ['user', 'api-key'] }) kind!: 'user' | 'api-key';
  @ApiProperty({ format: 'uuid', description: 'the user, or the API key' }) id!: string;
  @ApiProperty({ description: 'the person (for a key: its creator), or "Former user"' }) name!: string;
}

class CommentMentionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class CommentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) postId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId!: string | null;
  @ApiProperty({ enum: COMMENT_VISIBILITIES }) visibility!: CommentVisibility;
  @ApiProperty({ type: String, nullable: true, description: 'null once deleted (the place stays)' })
  body!: string | null;
  @ApiProperty({ type: [CommentMentionView] }) mentions!: CommentMentionView[];
  @ApiProperty({ type: CommentAuthorView, nullable: true }) author!: CommentAuthorView | null;
  @ApiProperty({ description: 'the post version it was written on' }) postVersion!: number;
  @ApiProperty({ description: 'written on an older version than the post has now' }) onOlderVersion!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) editedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;
}

export class CommentsView {
  @ApiProperty({ type: [CommentView], description: 'oldest first; replies name their parent' })
  items!: CommentView[];
}
