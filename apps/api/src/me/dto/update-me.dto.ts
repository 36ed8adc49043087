import { MAIL_DIGESTS, type MailDigest } from '@app/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsName, IsOmittable } from '../../common/validators';

/** What a person may change about themselves; fields left out stay as they are. */
export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'Maya Lind' }) @IsOmittable() @IsName() name?: string;

  @ApiPropertyOptional({
    enum: MAIL_DIGESTS,
    description:
      '`daily`: review requests of posts due more than 48 h ahead come once a day, in one mail per workspace (from DIGEST_HOUR in its zone); nearer posts and reminders still come at once',
  })
  @IsOmittable()
  @IsIn(MAIL_DIGESTS, { message: `must be one of ${MAIL_DIGESTS.join(', ')}` })
  mailDigest?: MailDigest;
}
