import { COMMENT_VISIBILITIES, type CommentVisibility } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { IsOmittable } from '../common/validators';

const MAX_BODY = 10_000;
const trimmed = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

export class EditCommentDto {
  @ApiProperty({
    maxLength: MAX_BODY,
    description: 'mention a member as @[<their user id>]: they are mailed once, if they may see the comment',
  })
  @trimmed
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(MAX_BODY)
  body!: string;
}

export class CreateCommentDto extends EditCommentDto {
  @ApiPropertyOptional({
    enum: COMMENT_VISIBILITIES,
    description:
      '`team`: owners, admins, editors and approvers; `everyone`: also the contributor and outside reviewers. Contributors write `everyone` only; by default the narrowest the writer may use',
  })
  @IsOmittable()
  @IsIn(COMMENT_VISIBILITIES, { message: `must be one of ${COMMENT_VISIBILITIES.join(', ')}` })
  visibility?: CommentVisibility;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'a top-level comment of the same post (one level of replies)',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'must be a comment id' })
  parentId?: string;
}
