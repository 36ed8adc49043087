import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class PauseDto {
  @ApiProperty({ example: 'Suspected account compromise' })
  @IsString()
  @MinLength(3, { message: 'must say why, in at least 3 characters' })
  @MaxLength(500)
  reason!: string;
}
