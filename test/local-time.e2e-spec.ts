import { channel, signUp, type SignedUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

/** Posts scheduled in local time: read in the workspace's zone (or the one sent), shown in it too. */
describe('Local time in, local time out', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  async function workspaceIn(timezone: string) {
    const owner: SignedUp = await signUp(api.http, { timezone });
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const ch = await channel(api.http, owner.token, owner.workspaceId);
    const create = (body: Record<string, unknown>) =>
      api.http.post(`${ws}/posts`, { channelId: ch.id, text: 'Local', ...body }, { token: owner.token });
    return { owner, ws, create };
  }

  it("reads a local time in the workspace's zone and shows both UTC and local", async () => {
    const paris = await workspaceIn('Europe/Paris');
    const res = await paris.create({ scheduledAt: '2027-06-01T09:30' });
    expect(res.status).toBe(201);
    expect(res.body.scheduledAt).toBe('2027-06-01T07:30:00.000Z');
    expect(res.body.scheduledAtLocal).toBe('2027-06-01T09:30:00+02:00');
    // An offset is an instant whatever the zone; the view still shows it in the workspace's.
    const offset = await paris.create({ scheduledAt: '2027-06-01T09:30:00-04:00', timezone: 'Asia/Tokyo' });
    expect(offset.body.scheduledAt).toBe('2027-06-01T13:30:00.000Z');
    expect(offset.body.scheduledAtLocal).toBe('2027-06-01T15:30:00+02:00');
    const got = await api.http.get(`${paris.ws}/posts/${res.body.id}`, { token: paris.owner.token });
    expect(got.body.scheduledAtLocal).toBe('2027-06-01T09:30:00+02:00');
  });

  it('reads it in the zone sent instead, for one post', async () => {
    const paris = await workspaceIn('Europe/Paris');
    const res = await paris.create({ scheduledAt: '2027-06-01T09:30', timezone: 'America/New_York' });
    expect(res.body.scheduledAt).toBe('2027-06-01T13:30:00.000Z');
    expect(res.body.scheduledAtLocal).toBe('2027-06-01T15:30:00+02:00');
  });

  it.each([
    ['Europe/Paris', '2027-03-28T02:30'],
    ['America/New_York', '2027-03-14T02:15'],
  ])(
    'refuses a local time that does not exist in %s (%s) with a 400 naming scheduledAt',
    async (zone, local) => {
      const w = await workspaceIn(zone);
      const res = await w.create({ scheduledAt: local });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(res.body.errors).toEqual([
        { field: 'scheduledAt', message: expect.stringMatching(new RegExp(`does not exist in ${zone}`)) },
      ]);
      // Read in another zone the same wall time exists.
      expect((await w.create({ scheduledAt: local, timezone: 'Asia/Tokyo' })).status).toBe(201);
    },
  );

  it.each([
    ['Europe/Paris', '2027-10-31T02:30', '2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z'],
    ['America/New_York', '2027-11-07T01:30', '2027-11-07T05:30:00.000Z', '2027-11-07T06:30:00.000Z'],
  ])(
    'takes the earlier of a time that happens twice in %s, unless told',
    async (zone, local, earlier, later) => {
      const w = await workspaceIn(zone);
      expect((await w.create({ scheduledAt: local })).body.scheduledAt).toBe(earlier);
      expect((await w.create({ scheduledAt: local, disambiguation: 'later' })).body.scheduledAt).toBe(later);
      const refused = await w.create({ scheduledAt: local, disambiguation: 'reject' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toEqual({
        field: 'scheduledAt',
        message: expect.stringMatching(/happens twice/),
      });
      // The two posts show the same wall time with their two offsets.
      const [a, b] = [
        (await w.create({ scheduledAt: local })).body,
        (await w.create({ scheduledAt: local, disambiguation: 'later' })).body,
      ];
      expect(a.scheduledAtLocal.slice(0, 16)).toBe(local);
      expect(b.scheduledAtLocal.slice(0, 16)).toBe(local);
      expect(a.scheduledAtLocal).not.toBe(b.scheduledAtLocal);
    },
  );

  it('moves a post by a local time on PATCH, and refuses zone settings without a time', async () => {
    const paris = await workspaceIn('Europe/Paris');
    const post = (await paris.create({ scheduledAt: '2027-06-01T09:30' })).body;
    const path = `${paris.ws}/posts/${post.id}`;
    const headers = { 'if-match': '"1"' };
    const moved = await api.http.patch(
      path,
      { scheduledAt: '2027-06-02T18:00' },
      { token: paris.owner.token, headers },
    );
    expect(moved.status).toBe(200);
    expect(moved.body.scheduledAtLocal).toBe('2027-06-02T18:00:00+02:00');
    const alone = await api.http.patch(
      path,
      { timezone: 'Asia/Tokyo' },
      { token: paris.owner.token, headers },
    );
    expect(alone.status).toBe(400);
    expect(alone.body.errors[0].field).toBe('timezone');
    const gap = await api.http.patch(
      path,
      { scheduledAt: '2027-03-28T02:30' },
      { token: paris.owner.token, headers },
    );
    expect(gap.status).toBe(400);
    const unchanged = await api.http.get(path, { token: paris.owner.token });
    expect(unchanged.body.scheduledAtLocal).toBe('2027-06-02T18:00:00+02:00');
  });

  it.each([
    [{ scheduledAt: '2027-06-01T09:30', timezone: '+02:00' }, 'timezone'],
    [{ scheduledAt: '2027-06-01T09:30', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ scheduledAt: '2027-06-01T09:30', disambiguation: 'latest' }, 'disambiguation'],
    [{ scheduledAt: '2027-02-30T09:30' }, 'scheduledAt'],
    [{ scheduledAt: '2027-06-01 09:30' }, 'scheduledAt'],
    [{ scheduledAt: '2020-06-01T09:30' }, 'scheduledAt'],
  ])('refuses %j naming %s', async (body, field) => {
    const w = await workspaceIn('Europe/Paris');
    const res = await w.create(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
