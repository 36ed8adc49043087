import { NETWORK_TEXT_LIMITS, NETWORKS, patternError, type ContentRules, type Network } from '@app/domain';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsFQDN,
  IsObject,
  IsString,
  MaxLength,
  MinLength,
  ValidateBy,
} from 'class-validator';

/** Every key a network, every value a whole number from 1 to that network's own limit. */
const IsNetworkLimits = (): PropertyDecorator =>
  ValidateBy({
    name: 'isNetworkLimits',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        Object.entries(value).every(
          ([network, n]) =>
            (NETWORKS as string[]).includes(network) &&
            Number.isInteger(n) &&
            (n as number) >= 1 &&
            (n as number) <= NETWORK_TEXT_LIMITS[network as Network],
        ),
      defaultMessage: () =>
        `must map networks (${NETWORKS.join(', ')}) to a length from 1 to the network's own limit`,
    },
  });

/** Each pattern compiles as a JavaScript regular expression. */
const ArePatterns = (): PropertyDecorator =>
  ValidateBy({
    name: 'arePatterns',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((p) => typeof p === 'string' && patternError(p) === null),
      defaultMessage: (args) => {
        if (!Array.isArray(args?.value)) return 'must be an array of regular expressions';
        const bad = (args.value as unknown[]).findIndex(
          (p) => typeof p !== 'string' || patternError(p) !== null,
        );
        const pattern = (args.value as unknown[])[bad];
        return `entry ${bad} is not a valid regular expression: ${typeof pattern === 'string' ? patternError(pattern) : 'not a string'}`;
      },
    },
  });

export class ContentRulesDto implements ContentRules {
  @ApiProperty({ type: [String], example: ['scam', 'crème brûlée'] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  blockedTerms!: string[];

  @ApiProperty({
    type: [String],
    example: ['\\b\\d{3}-\\d{4}\\b'],
    description: 'JavaScript regular expressions, case-insensitive',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @MaxLength(200, { each: true })
  @ArePatterns()
  blockedPatterns!: string[];

  @ApiProperty({ type: [String], example: ['acme.example'], description: 'empty: links may go anywhere' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsFQDN({}, { each: true, message: 'must be domain names' })
  allowedLinkDomains!: string[];

  @ApiProperty({ example: { x: 250 }, description: 'stricter per-network text limits' })
  @IsObject()
  @IsNetworkLimits()
  maxLength!: Partial<Record<Network, number>>;
}
