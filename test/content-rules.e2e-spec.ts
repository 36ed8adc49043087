import { approverWorkflow, channel, draft, memberWithRole, type SignedUp, signUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

describe('Content rules', () => {
  let api: TestApi;
  let owner: SignedUp;
  let ws: string;
  let channelId: string;

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    ws = `/v1/workspaces/${owner.workspaceId}`;
    await memberWithRole(api.http, owner.token, owner.workspaceId, 'approver');
    await approverWorkflow(api.http, owner.token, owner.workspaceId);
    channelId = (await channel(api.http, owner.token, owner.workspaceId, { network: 'linkedin' })).id;
  });
  afterAll(() => api.close());

  const putRules = (rules: object) =>
    api.http.put(
      `${ws}/content-rules`,
      { blockedTerms: [], blockedPatterns: [], allowedLinkDomains: [], maxLength: {}, ...rules },
      { token: owner.token },
    );
  const submit = async (body: Record<string, unknown>) => {
    const post = await draft(api.http, owner.token, owner.workspaceId, { channelId, ...body });
    return api.http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
  };

  it('blocks each rule kind on submit with a 422 listing every violation and where', async () => {
    expect(
      (
        await putRules({
          blockedTerms: ['crème brûlée'],
          blockedPatterns: ['\\b\\d{3}-\\d{4}\\b'],
          allowedLinkDomains: ['acme.example'],
          maxLength: { linkedin: 60 },
        })
      ).status,
    ).toBe(200);
    const res = await submit({
      text: 'CREME BRULEE for all! Call 555-0100 now, really, truly, absolutely right now.',
      link: 'https://evil.example/deal',
      mediaUrls: ['https://cdn.acme.example/ok.png'],
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('unprocessable');
    expect(res.body.errors.map((e: any) => e.field)).toEqual(['text', 'text', 'link', 'text']);
    expect(res.body.errors.map((e: any) => e.message).join(' ')).toMatch(/crème brûlée.*555|blocked pattern/);

    expect(
      (await submit({ text: 'Crème brûlée-free menu? No: scampi.', link: 'https://shop.acme.example/' }))
        .status,
    ).toBe(422);
    expect((await submit({ text: 'Our new menu is out', link: 'https://shop.acme.example/' })).status).toBe(
      200,
    );
    expect((await api.http.get(`${ws}/content-rules`, { token: owner.token })).body.maxLength).toEqual({
      linkedin: 60,
    });
  });

  it('checks a pattern that would backtrack in JavaScript fully, and refuses what RE2 cannot run', async () => {
    await putRules({ blockedPatterns: ['(a+)+$'] });
    // A backtracking engine would not finish this; RE2 finds there is no match.
    expect((await submit({ text: `${'a'.repeat(2900)}!` })).status).toBe(200);
    const blocked = await submit({ text: 'a'.repeat(2900) });
    expect(blocked.status).toBe(422);
    expect(blocked.body.detail).toMatch(/matches the blocked pattern/);
    // The API is still answering others.
    expect((await api.http.get('/health')).status).toBe(200);
    const lookahead = await putRules({ blockedPatterns: ['price(?= now)'] });
    expect(lookahead.status).toBe(400);
    expect(lookahead.body.errors[0]).toEqual({
      field: 'blockedPatterns',
      message: expect.stringMatching(/RE2 syntax/),
    });
    await putRules({});
  });

  it.each([
    ['blockedPatterns', { blockedPatterns: ['a(b'] }],
    ['allowedLinkDomains', { allowedLinkDomains: ['not a domain'] }],
    ['maxLength', { maxLength: { x: 1000 } }],
    ['maxLength', { maxLength: { myspace: 10 } }],
    ['blockedTerms', { blockedTerms: [''] }],
  ])('refuses a bad %s with 400 naming it', async (field, patch) => {
    const res = await putRules(patch);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toContain(field);
  });
});
