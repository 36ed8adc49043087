import { canonicalLanguage, canonicalTimeZone, isInstantOrLocal, parseInstant } from '@app/domain';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsString,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidateBy,
  ValidateIf,
} from 'class-validator';

/** An e-mail address, trimmed and lower-cased (addresses are unique regardless of case). */
export const IsEmailAddress = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsEmail({}, { message: 'must be an e-mail address' }),
    MaxLength(254),
  );

/**
 * May be left out, but is not nullable: unlike @IsOptional(), a `null` is validated
 * (and refused, naming the field) instead of passing as if the field were absent.
 */
export const IsOmittable = (): PropertyDecorator =>
  ValidateIf((object: Record<string, unknown>, value: unknown) => value !== undefined);

/** A human-facing name: trimmed, 1 to `max` characters. */
export const IsName = (max = 100): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    MinLength(1, { message: 'must not be empty' }),
    MaxLength(max),
  );

/**
 * A string stored in its canonical spelling: trimmed and canonicalised first, then
 * valid only when `canonical` knows it and it is already canonical.
 */
function IsCanonical(
  name: string,
  canonical: (value: string) => string | null,
  message: string,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (canonical(value.trim()) ?? value) : value,
    )(target, propertyName);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && canonical(value) === value,
        defaultMessage: () => message,
      },
    });
  };
}

/** An IANA time zone name such as Europe/Paris, stored in its canonical spelling. */
export const IsTimeZoneName = (): PropertyDecorator =>
  IsCanonical('isTimeZoneName', canonicalTimeZone, 'must be an IANA time zone name such as Europe/Paris');

/** A BCP 47 language tag such as fr or pt-BR, stored in its canonical spelling. */
export const IsLanguageTag = (): PropertyDecorator =>
  IsCanonical('isLanguageTag', canonicalLanguage, 'must be a language tag such as fr or pt-BR');

/** An ISO 8601 date-time with an explicit offset (`2026-05-01T09:30:00+02:00`). */
export const IsInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null,
      defaultMessage: () => 'must be an ISO 8601 date-time with an offset, e.g. 2026-05-01T09:30:00+02:00',
    },
  });

/** An instant with an offset, or a local date-time read in a time zone (`2026-05-01T09:30`). */
export const IsInstantOrLocal = (): PropertyDecorator =>
  ValidateBy({
    name: 'isInstantOrLocal',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isInstantOrLocal(value),
      defaultMessage: () =>
        'must be an ISO 8601 date-time, with an offset (2026-05-01T09:30:00+02:00) or local (2026-05-01T09:30, read in timezone)',
    },
  });

/** A calendar date, YYYY-MM-DD. */
export const IsCalendarDate = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}$/.test(value) &&
        parseInstant(`${value}T00:00:00Z`) !== null,
      defaultMessage: () => 'must be a date, YYYY-MM-DD',
    },
  });

/** `a,b,c` in a query string -> ['a','b','c']. */
export const CommaList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  );
