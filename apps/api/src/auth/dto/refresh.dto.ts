import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class RefreshDto {
  @ApiProperty({ description: 'the refreshToken of the last login or refresh (each works once)' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  refreshToken!: string;
}
