import { connect } from 'node:net';
import { channel, signUp, type SignedUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

/** Input that PostgreSQL or a validator would choke on: always a 400 naming the field, never a 500. */
describe('Bad input', () => {
  let api: TestApi;
  let owner: SignedUp;
  let ws: string;
  let channelId: string;
  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    ws = `/v1/workspaces/${owner.workspaceId}`;
    channelId = (await channel(api.http, owner.token, owner.workspaceId)).id;
  });
  afterAll(() => api.close());

  const expectField = (res: { status: number; headers: Headers; body: any }, field: string) => {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  };
  const later = new Date(Date.now() + 3600_000).toISOString();
  const rules = { blockedTerms: [], blockedPatterns: [], allowedLinkDomains: [], maxLength: {} };

  it.each<[string, string, string, (bad: string) => unknown, string]>([
    ['post text', 'POST', '/posts', (bad) => ({ channelId, text: bad, scheduledAt: later }), 'text'],
    ['a workspace name', 'POST', '/v1/workspaces', (bad) => ({ name: bad, timezone: 'UTC' }), 'name'],
    ['a pause reason', 'POST', '/pause', (bad) => ({ reason: bad }), 'reason'],
    [
      'a blocked term',
      'PUT',
      '/content-rules',
      (bad) => ({ ...rules, blockedTerms: [bad] }),
      'blockedTerms[0]',
    ],
    [
      'a channel secret',
      'POST',
      '/channels',
      (bad) => ({
        name: 'C',
        network: 'x',
        publisher: { kind: 'webhook', url: 'https://h.example/x', secret: bad },
      }),
      'publisher.secret',
    ],
    [
      'a workflow stage name',
      'POST',
      '/workflows',
      (bad) => ({ name: 'W', stages: [{ name: bad, approvers: { roles: ['owner'] }, required: 1 }] }),
      'stages[0].name',
    ],
    [
      'a member e-mail',
      'POST',
      '/members',
      (bad) => ({ email: `${bad}@example.test`, role: 'editor' }),
      'email',
    ],
  ])('refuses a NUL and a lone surrogate in %s', async (_what, method, path, body, field) => {
    for (const bad of [NUL, LONE]) {
      const url = path.startsWith('/v1/') ? path : `${ws}${path}`;
      expectField(await api.http.request(method, url, { token: owner.token, body: body(bad) }), field);
    }
  });

  it('refuses them in signup and login fields, without an account', async () => {
    const signup = (over: Record<string, string>) =>
      api.http.post('/v1/auth/signup', {
        email: 'x@example.test',
        password: 'a long enough passphrase',
        name: 'N',
        workspaceName: 'W',
        ...over,
      });
    expectField(await signup({ name: NUL }), 'name');
    expectField(await signup({ password: `long enough ${NUL}` }), 'password');
    expectField(await signup({ email: `${LONE}@example.test` }), 'email');
    expectField(
      await api.http.post('/v1/auth/login', { email: 'x@example.test', password: NUL }),
      'password',
    );
  });

  it('refuses them in query strings', async () => {
    expectField(await api.http.get(`${ws}/posts?cursor=%00`, { token: owner.token }), 'cursor');
    // A lone surrogate cannot be percent-encoded as UTF-8: these bytes decode to U+FFFD instead.
    const odd = await api.http.get(`${ws}/audit?cursor=%ED%A0%80`, { token: owner.token });
    expect(odd.status).toBe(400);
  });

  it('refuses blockedPatterns that is not an array', async () => {
    const res = await api.http.put(
      `${ws}/content-rules`,
      { ...rules, blockedPatterns: 'abc' },
      { token: owner.token },
    );
    expectField(res, 'blockedPatterns');
  });

  it('answers problem+json to a path parameter of 500 characters, and to a path that is not a URL', async () => {
    const long = await api.http.get(`/v1/workspaces/${'a'.repeat(500)}/posts`, { token: owner.token });
    expect(long.status).toBe(414);
    expect(long.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const bad = await api.http.get('/v1/workspaces/%zz/posts', { token: owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('answers problem+json to a NUL in a header, before any route', async () => {
    const { port } = new URL(api.http.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Evil: a\u0000b\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      code: 'bad_request',
    });
  });

  it('loses nothing already stored', async () => {
    const before = await api.http.get(`${ws}/posts`, { token: owner.token });
    await api.http.post(`${ws}/posts`, { channelId, text: NUL, scheduledAt: later }, { token: owner.token });
    const after = await api.http.get(`${ws}/posts`, { token: owner.token });
    expect(after.body.items).toEqual(before.body.items);
  });
});
