import { API_KEY_ROLES } from '@app/domain';
import type { ApiKeyEntity } from '@app/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_KEY_ROLES }) role!: string;
  @ApiProperty({ example: 'csk_AbC12345', description: 'its first characters, to recognise it' })
  prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

/** A key just made: the secret is in this answer only. */
export class NewApiKeyView extends ApiKeyView {
  @ApiProperty({ example: 'csk_…', description: 'the key; store it now, it is not shown again' })
  key!: string;
}

export const apiKeyView = (k: ApiKeyEntity): ApiKeyView => ({
  id: k.id,
  name: k.name,
  role: k.role,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});
