import { DomainError, ErrorCode } from '@app/domain';
import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { toProblem } from './problem';

describe(toProblem.name, () => {
  it.each(Object.values(ErrorCode).filter((c) => c !== ErrorCode.BadGateway))(
    'maps the domain code %s to a 4xx with that code',
    (code) => {
      const problem = toProblem(new DomainError(code, 'why'));
      expect(problem.status).toBeGreaterThanOrEqual(400);
      expect(problem.status).toBeLessThan(500);
      expect(problem).toMatchObject({ code, detail: 'why', type: `urn:countersign:problem:${code}` });
    },
  );

  it("maps a channel receiver's refusal to 502", () => {
    expect(toProblem(new DomainError(ErrorCode.BadGateway, 'no'))).toMatchObject({
      status: 502,
      code: 'bad_gateway',
    });
  });

  it('keeps the field errors of a validation failure', () => {
    const problem = toProblem(DomainError.invalid('email', 'must be an email'));
    expect(problem.errors).toEqual([{ field: 'email', message: 'must be an email' }]);
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(toProblem(new ForbiddenException())).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('hides the details of an unexpected error behind a 500', () => {
    const problem = toProblem(new TypeError('secret internals'));
    expect(problem).toMatchObject({ status: 500, code: 'internal_error' });
    expect(problem.detail).not.toContain('secret');
  });
});
