import ICAL from 'ical.js';
import type { paths, Schemas } from '../clients/typescript';
import { apiClient, type ApiClient } from './support/api-client';
import { channel, draft, memberWithRole, signUp, type SignedUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

type CalendarQuery = paths['/v1/workspaces/{workspaceId}/calendar']['get']['parameters']['query'];

/** Driven through the generated client (clients/typescript), but for the feed, which is iCalendar. */
describe('Calendar', () => {
  let api: TestApi;
  let owner: SignedUp;
  let client: ApiClient;
  let workspaceId: string;
  let channelId: string;

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http, { timezone: 'Europe/Paris' });
    client = apiClient(api.http, owner.token);
    workspaceId = owner.workspaceId;
    channelId = (await channel(api.http, owner.token, owner.workspaceId, { name: 'Acme X' })).id;
  });
  afterAll(() => api.close());

  const calendar = (query: CalendarQuery, as: ApiClient = client) =>
    as.GET('/v1/workspaces/{workspaceId}/calendar', { params: { path: { workspaceId }, query } });
  const days = async (query: CalendarQuery): Promise<Schemas['CalendarView']['days']> => {
    const { data, response } = await calendar(query);
    expect(response.status).toBe(200);
    return data!.days;
  };
  const dayOf = (shown: Schemas['CalendarView']['days'], postId: string): string | undefined =>
    shown.find((d) => d.posts.some((p) => p.id === postId))?.date;
  const ids = (shown: Schemas['CalendarView']['days']) => shown.flatMap((d) => d.posts.map((p) => p.id));

  it('puts a post at 01:30 local on the day clocks go forward on that day, in the workspace zone', async () => {
    const post = await draft(api.http, owner.token, owner.workspaceId, {
      channelId,
      scheduledAt: '2027-03-28T01:30:00+01:00',
    });
    const { data, response } = await calendar({ from: '2027-03-27', to: '2027-03-29' });
    expect(response.status).toBe(200);
    expect(data!.timezone).toBe('Europe/Paris');
    expect(data!.days.map((d) => d.date)).toEqual(['2027-03-27', '2027-03-28', '2027-03-29']);
    expect(dayOf(data!.days, post.id)).toBe('2027-03-28');
    const shown = data!.days[1].posts.find((p) => p.id === post.id);
    expect(shown?.localTime).toBe('2027-03-28T01:30:00+01:00');
  });

  it('groups by the local day on either side of the autumn change, and by UTC when asked', async () => {
    const early = await draft(api.http, owner.token, owner.workspaceId, {
      channelId,
      scheduledAt: '2027-10-31T00:30:00+02:00', // 22:30Z on the 30th
    });
    const late = await draft(api.http, owner.token, owner.workspaceId, {
      channelId,
      scheduledAt: '2027-10-31T23:30:00+01:00', // 22:30Z on the 31st
    });
    const paris = await days({ from: '2027-10-30', to: '2027-10-31' });
    expect(dayOf(paris, early.id)).toBe('2027-10-31');
    expect(dayOf(paris, late.id)).toBe('2027-10-31');

    const utc = await calendar({ from: '2027-10-30', to: '2027-10-31', tz: 'UTC' });
    expect(utc.data!.timezone).toBe('UTC');
    expect(dayOf(utc.data!.days, early.id)).toBe('2027-10-30');
    expect(dayOf(utc.data!.days, late.id)).toBe('2027-10-31');
  });

  it('filters by channel and status, and leaves canceled posts out by default', async () => {
    const other = await channel(api.http, owner.token, owner.workspaceId, { name: 'Other' });
    const a = await draft(api.http, owner.token, owner.workspaceId, {
      channelId,
      scheduledAt: '2027-06-01T10:00:00Z',
    });
    const b = await draft(api.http, owner.token, owner.workspaceId, {
      channelId: other.id,
      scheduledAt: '2027-06-01T11:00:00Z',
    });
    const canceled = await client.POST('/v1/workspaces/{workspaceId}/posts/{postId}/cancel', {
      params: { path: { workspaceId, postId: b.id } },
    });
    expect(canceled.data?.status).toBe('canceled');
    const day = { from: '2027-06-01', to: '2027-06-01' };

    expect(ids(await days(day))).toEqual([a.id]);
    expect(ids(await days({ ...day, status: ['canceled'] }))).toEqual([b.id]);
    expect(ids(await days({ ...day, channelId, status: ['draft', 'canceled'] }))).toEqual([a.id]);
  });

  it('shows a contributor only its own posts', async () => {
    const agency = await memberWithRole(api.http, owner.token, owner.workspaceId, 'contributor');
    const mine = await draft(api.http, agency.token, owner.workspaceId, {
      channelId,
      scheduledAt: '2027-07-01T10:00:00Z',
    });
    await draft(api.http, owner.token, owner.workspaceId, { channelId, scheduledAt: '2027-07-01T11:00:00Z' });
    const res = await calendar({ from: '2027-07-01', to: '2027-07-01' }, apiClient(api.http, agency.token));
    expect(res.data!.days[0].posts.map((p) => p.id)).toEqual([mine.id]);
  });

  it.each<[string, CalendarQuery, RegExp]>([
    ['to', { from: '2027-01-01', to: '2027-04-03' }, /at most 92/],
    ['to', { from: '2027-02-01', to: '2027-01-01' }, /before/],
    ['from', { from: '2027-02-30', to: '2027-03-01' }, /YYYY-MM-DD/],
    ['tz', { from: '2027-01-01', to: '2027-01-02', tz: 'Mars/Base' }, /IANA/],
    // What a client not generated from the schema could send.
    ['status', { from: '2027-01-01', to: '2027-01-02', status: ['sent' as 'draft'] }, /must be among/],
  ])('refuses a bad %s (%j) with 400', async (field, query, message) => {
    const { error, response } = await calendar(query);
    expect(response.status).toBe(400);
    expect(error?.errors?.find((e) => e.field === field)?.message).toMatch(message);
  });

  it('accepts exactly 92 days', async () => {
    expect(await days({ from: '2027-01-01', to: '2027-04-02' })).toHaveLength(92);
  });

  describe('iCalendar feed', () => {
    it('serves a secret feed an independent parser reads, with the right events, until revoked', async () => {
      const soon = await draft(api.http, owner.token, owner.workspaceId, {
        channelId,
        text: 'Feed me',
        scheduledAt: new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
      const created = await client.POST('/v1/workspaces/{workspaceId}/calendar-feeds', {
        params: { path: { workspaceId } },
      });
      expect(created.response.status).toBe(201);
      const url = new URL(created.data!.url);
      expect(url.origin).toBe(api.config.publicUrl);

      const res = await api.http.get(url.pathname);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);

      // CRLF everywhere, as RFC 5545 says.
      expect(res.text.split('\r\n').join('')).not.toMatch(/\n/);
      const vcalendar = new ICAL.Component(ICAL.parse(res.text));
      expect(vcalendar.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/Paris');
      const vtimezone = vcalendar.getFirstSubcomponent('vtimezone');
      expect(vtimezone?.getFirstPropertyValue('tzid')).toBe('Europe/Paris');
      // The parser places local times through the feed's own VTIMEZONE, not a tz database of its own.
      ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone!));
      const events = vcalendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
      const event = events.find((e) => e.uid === `${soon.id}@countersign`);
      expect(event).toBeDefined();
      expect(event!.startDate.zone.tzid).toBe('Europe/Paris');
      expect(event!.startDate.toJSDate().toISOString()).toBe(new Date(soon.scheduledAt).toISOString());
      expect((event!.endDate.toJSDate().getTime() - event!.startDate.toJSDate().getTime()) / 60_000).toBe(15);
      expect(event!.summary).toBe('Draft · Acme X · Feed me');
      expect(event!.component.getFirstPropertyValue('url')).toBe(
        `${api.config.publicUrl}/v1/workspaces/${owner.workspaceId}/posts/${soon.id}`,
      );

      const revoked = await client.DELETE('/v1/workspaces/{workspaceId}/calendar-feeds/{feedId}', {
        params: { path: { workspaceId, feedId: created.data!.id } },
      });
      expect(revoked.response.status).toBe(204);
      expect((await api.http.get(url.pathname)).status).toBe(404);
    });

    it('answers 404 to a made-up token', async () => {
      expect((await api.http.get(`/v1/calendar-feeds/${'A'.repeat(43)}.ics`)).status).toBe(404);
      expect((await api.http.get('/v1/calendar-feeds/short.ics')).status).toBe(404);
    });
  });
});
