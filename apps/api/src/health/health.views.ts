import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const INDICATORS = {
  type: 'object',
  description: 'by dependency (`postgres`, `redis`): `{status: "up"|"down", message?}`',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
    required: ['status'],
  } satisfies SchemaObject,
} as const;

/** The readiness answer, as @nestjs/terminus shapes it (200 when all is up, 503 otherwise). */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional({ ...INDICATORS, description: 'the dependencies that are up' })
  info?: Record<string, { status: string }>;
  @ApiPropertyOptional({ ...INDICATORS, description: 'the dependencies that are down' })
  error?: Record<string, { status: string }>;
  @ApiProperty(INDICATORS) details!: Record<string, { status: string }>;
}
