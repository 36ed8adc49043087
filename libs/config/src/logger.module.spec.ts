import { redactUrl } from './logger.module';

describe(redactUrl.name, () => {
  const token = 'c7U3LkFwi-d5ntsdVBr5oPjOW4ZsMwuKpvGwkcdXGDI';

  it.each([
    [`/review/${token}`, '/review/[redacted]'],
    [`/invite/${token}`, '/invite/[redacted]'],
    [`/reset/${token}`, '/reset/[redacted]'],
    [`/v1/calendar-feeds/${token}.ics`, '/v1/calendar-feeds/[redacted]'],
    [`/v1/auth/password-reset/${token}`, '/v1/auth/password-reset/[redacted]'],
    [`/v1/invitations/${token}/accept`, '/v1/invitations/[redacted]/accept'],
    [`/v1/workspaces/x/posts?cursor=${token}`, '/v1/workspaces/x/posts?[redacted]'],
  ])('keeps the secret of %s out of the logs', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
    expect(redactUrl(url)).not.toContain(token);
  });

  it('leaves the routes without secrets as they are', () => {
    expect(redactUrl('/v1/auth/password-reset')).toBe('/v1/auth/password-reset');
    expect(redactUrl('/v1/me/sessions')).toBe('/v1/me/sessions');
  });
});
