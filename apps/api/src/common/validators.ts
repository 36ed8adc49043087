import { canonicalTimeZone } from '@app/domain';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength, registerDecorator } from 'class-validator';

/** An e-mail address, trimmed and lower-cased (addresses are unique regardless of case). */
export const IsEmailAddress = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toLowerCase() : value,
    ),
    IsEmail({}, { message: 'must be an e-mail address' }),
    MaxLength(254),
  );

/** A human-facing name: trimmed, 1 to `max` characters. */
export const IsName = (max = 100): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    MinLength(1, { message: 'must not be empty' }),
    MaxLength(max),
  );

/** An IANA time zone name such as Europe/Paris, stored in its canonical spelling. */
export function IsTimeZoneName(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (canonicalTimeZone(value.trim()) ?? value) : value,
    )(target, propertyName);
    registerDecorator({
      name: 'isTimeZoneName',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) === value,
        defaultMessage: () => 'must be an IANA time zone name such as Europe/Paris',
      },
    });
  };
}
