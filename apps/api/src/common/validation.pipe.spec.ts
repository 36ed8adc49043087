import { DomainError, ErrorCode } from '@app/domain';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { createValidationPipe } from './validation.pipe';

class Stage {
  @IsString() name!: string;
  @IsInt() @Min(1) required!: number;
}

class Body {
  @IsEmail() email!: string;
  @ValidateNested({ each: true }) @Type(() => Stage) stages!: Stage[];
}

describe(createValidationPipe.name, () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Body });

  async function fieldsOf(value: unknown): Promise<string[]> {
    try {
      await validate(value);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(ErrorCode.ValidationFailed);
      return ((error as DomainError).errors ?? []).map((e) => e.field);
    }
    throw new Error('expected a validation failure');
  }

  it('passes a valid body through as an instance', async () => {
    const out = await validate({ email: 'a@b.co', stages: [{ name: 'legal', required: 1 }] });
    expect(out).toBeInstanceOf(Body);
  });

  it('names nested fields by their path', async () => {
    expect(await fieldsOf({ email: 'a@b.co', stages: [{ name: 'legal', required: 0 }] })).toEqual([
      'stages[0].required',
    ]);
  });

  it('rejects unknown fields, naming them', async () => {
    expect(await fieldsOf({ email: 'a@b.co', stages: [], isAdmin: true })).toEqual(['isAdmin']);
  });

  it('rejects a missing body', async () => {
    expect(await fieldsOf(undefined)).not.toHaveLength(0);
  });
});
