import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';

// zxcvbn's common-passwords and keyboard-pattern data (maintained by zxcvbn-ts), loaded once.
const zxcvbn = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

/** zxcvbn's "safely unguessable" (3 of 4): `password123` is 0, `Password1!` 1. */
const MIN_SCORE = 3;

/** Why a password is too easy to guess (a common one, a pattern, the person's own name), or null. */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  if (zxcvbn.check(password, userInputs).score >= MIN_SCORE) return null;
  return 'is too easy to guess (a common password, a pattern, or your own name or e-mail): use a few uncommon words';
}

/** A password not among the common ones nor made of the person's e-mail or name. */
export const IsHardToGuess = (): PropertyDecorator =>
  ValidateBy({
    name: 'isHardToGuess',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'string' && passwordWeakness(value, userInputsOf(args?.object)) === null,
      defaultMessage: (args) =>
        typeof args?.value === 'string'
          ? (passwordWeakness(args.value, userInputsOf(args.object)) ?? 'is too easy to guess')
          : 'must be a string',
    },
  });

function userInputsOf(object: unknown): string[] {
  const { email, name } = (object ?? {}) as { email?: unknown; name?: unknown };
  return [email, name].filter((v): v is string => typeof v === 'string');
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** A password someone chooses: long enough, not too long to hash, hard to guess. */
export const IsNewPassword = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    MinLength(PASSWORD_MIN_LENGTH, { message: `must be at least ${PASSWORD_MIN_LENGTH} characters` }),
    MaxLength(PASSWORD_MAX_LENGTH),
    IsHardToGuess(),
  );

/** Everything the DTOs check of a new password, for a password that came another way (a form): why not, or null. */
export function newPasswordProblem(password: string, userInputs: string[]): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return passwordWeakness(password, userInputs);
}
