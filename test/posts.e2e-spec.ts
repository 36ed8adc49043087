import {
  apiKey,
  channel,
  draft,
  inMinutes,
  memberWithRole,
  signUp,
  type SignedUp,
} from './support/factories';
import { startApi, type TestApi } from './support/test-app';

describe('Channels and posts', () => {
  let api: TestApi;
  let owner: SignedUp;
  let x: { id: string };
  let ws: string;

  beforeAll(async () => {
    api = await startApi();
    owner = await signUp(api.http);
    ws = `/v1/workspaces/${owner.workspaceId}`;
    x = await channel(api.http, owner.token, owner.workspaceId, { network: 'x' });
  });
  afterAll(() => api.close());

  describe('channels', () => {
    it('never returns the webhook secret', async () => {
      const res = await api.http.post(
        `${ws}/channels`,
        {
          name: 'Hook',
          network: 'linkedin',
          publisher: { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 's3cret-s3cret-s3cret' },
        },
        { token: owner.token },
      );
      expect(res.status).toBe(201);
      expect(res.body.publisher).toEqual({ kind: 'webhook', url: 'http://127.0.0.1:9/hook' });
      const list = await api.http.get(`${ws}/channels`, { token: owner.token });
      expect(list.text).not.toContain('s3cret');
    });

    it.each([
      ['network', { network: 'myspace' }],
      ['publisher.url', { publisher: { kind: 'webhook', url: 'not a url', secret: 'long-enough-secret' } }],
      ['publisher.secret', { publisher: { kind: 'webhook', url: 'https://x.example/hook' } }],
      ['publisher.url', { publisher: { kind: 'log', url: 'https://x.example/hook' } }],
      ['publisher.kind', { publisher: { kind: 'carrier-pigeon' } }],
    ])('refuses a bad %s', async (field, patch) => {
      const res = await api.http.post(
        `${ws}/channels`,
        { name: 'C', network: 'x', publisher: { kind: 'log' }, ...patch },
        { token: owner.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('create, edit, list, cancel', () => {
    it('keeps alt text per media: one per URL, kept for media that stay, and a change of it is a new version', async () => {
      const made = await api.http.post(
        `${ws}/posts`,
        {
          channelId: x.id,
          text: 'Two cups',
          mediaUrls: ['https://cdn.example/a.png', 'https://cdn.example/b.png'],
          mediaAlt: ['A latte with a fern', ''],
          scheduledAt: '2031-05-01T09:30:00+02:00',
        },
        { token: owner.token },
      );
      expect(made.status).toBe(201);
      expect(made.body.mediaAlt).toEqual(['A latte with a fern', '']);
      const edit = (body: object, version: number) =>
        api.http.patch(`${ws}/posts/${made.body.id}`, body, {
          token: owner.token,
          headers: { 'if-match': `"${version}"` },
        });
      // New media without alt text: the one that stays keeps its own.
      const moved = await edit({ mediaUrls: ['https://cdn.example/c.png', 'https://cdn.example/a.png'] }, 1);
      expect(moved.body).toMatchObject({ version: 2, mediaAlt: ['', 'A latte with a fern'] });
      const described = await edit({ mediaAlt: ['A croissant', 'A latte with a fern'] }, 2);
      expect(described.body).toMatchObject({ version: 3, mediaAlt: ['A croissant', 'A latte with a fern'] });
      const cleared = await edit({ mediaAlt: ['', ' '] }, 3);
      expect(cleared.body).toMatchObject({ version: 4, mediaAlt: [] });

      const mismatched = await edit({ mediaAlt: ['one'] }, 4);
      expect(mismatched.status).toBe(400);
      expect(mismatched.body.errors).toEqual([
        expect.objectContaining({
          field: 'mediaAlt',
          message: expect.stringMatching(/1 entries for 2 mediaUrls/),
        }),
      ]);
    });

    it('creates a draft at version 1 with an ETag, and lists it', async () => {
      const scheduledAt = '2031-05-01T09:30:00+02:00';
      const res = await api.http.post(
        `${ws}/posts`,
        {
          channelId: x.id,
          text: 'Spring menu is here',
          mediaUrls: ['https://cdn.example/a.png'],
          scheduledAt,
        },
        { token: owner.token },
      );
      expect(res.status).toBe(201);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.body).toMatchObject({
        status: 'draft',
        version: 1,
        scheduledAt: '2031-05-01T07:30:00.000Z',
        author: { kind: 'user', id: owner.userId },
      });
      const list = await api.http.get(`${ws}/posts?status=draft&channelId=${x.id}`, { token: owner.token });
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
    });

    it('makes a new version for a content change, keeps it for a reschedule, and records both', async () => {
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: x.id });
      const path = `${ws}/posts/${post.id}`;
      const edited = await api.http.patch(
        path,
        { text: 'Hello, world' },
        { token: owner.token, headers: { 'if-match': '"1"' } },
      );
      expect(edited.status).toBe(200);
      expect(edited.body.version).toBe(2);
      expect(edited.headers.get('etag')).toBe('"2"');

      const moved = await api.http.patch(
        path,
        { scheduledAt: inMinutes(120) },
        { token: owner.token, headers: { 'if-match': '"2"' } },
      );
      expect(moved.body.version).toBe(2);

      const history = await api.http.get(`${path}/revisions`, { token: owner.token });
      expect(
        history.body.items.map((r: { version: number; changed: string[] }) => [r.version, r.changed]),
      ).toEqual([
        [1, ['channelId', 'text', 'mediaUrls', 'link', 'scheduledAt']],
        [2, ['text']],
        [2, ['scheduledAt']],
      ]);
      expect(history.body.items[1]).toMatchObject({
        text: 'Hello, world',
        editor: { kind: 'user', id: owner.userId },
      });
    });

    it('answers 428 without If-Match and 412 with a stale one, changing nothing', async () => {
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: x.id });
      const path = `${ws}/posts/${post.id}`;
      const missing = await api.http.patch(path, { text: 'A' }, { token: owner.token });
      expect(missing.status).toBe(428);
      await api.http.patch(path, { text: 'B' }, { token: owner.token, headers: { 'if-match': '"1"' } });
      const stale = await api.http.patch(
        path,
        { text: 'C' },
        { token: owner.token, headers: { 'if-match': '"1"' } },
      );
      expect(stale.status).toBe(412);
      expect(stale.body.detail).toContain('version 2');
      expect((await api.http.get(path, { token: owner.token })).body.text).toBe('B');
    });

    it('cancels, and refuses to edit a canceled post', async () => {
      const post = await draft(api.http, owner.token, owner.workspaceId, { channelId: x.id });
      const canceled = await api.http.post(`${ws}/posts/${post.id}/cancel`, undefined, {
        token: owner.token,
      });
      expect(canceled.status).toBe(200);
      expect(canceled.body.status).toBe('canceled');
      const edit = await api.http.patch(
        `${ws}/posts/${post.id}`,
        { text: 'x' },
        { token: owner.token, headers: { 'if-match': '"1"' } },
      );
      expect(edit.status).toBe(409);
    });

    it('pages through a list with a cursor, stable while posts are inserted', async () => {
      const other = await signUp(api.http);
      const ch = await channel(api.http, other.token, other.workspaceId);
      for (let i = 0; i < 5; i++) {
        await draft(api.http, other.token, other.workspaceId, {
          channelId: ch.id,
          text: `p${i}`,
          scheduledAt: inMinutes(100 + i),
        });
      }
      const url = `/v1/workspaces/${other.workspaceId}/posts?limit=2`;
      const seen: string[] = [];
      let page = await api.http.get(url, { token: other.token });
      seen.push(...page.body.items.map((p: { text: string }) => p.text));
      // A post scheduled before the cursor must not shift later pages.
      await draft(api.http, other.token, other.workspaceId, {
        channelId: ch.id,
        text: 'early',
        scheduledAt: inMinutes(90),
      });
      while (page.body.nextCursor) {
        page = await api.http.get(`${url}&cursor=${page.body.nextCursor}`, { token: other.token });
        seen.push(...page.body.items.map((p: { text: string }) => p.text));
      }
      expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    });
  });

  describe('Idempotency-Key', () => {
    it('makes one post of five concurrent replays, and refuses the key with another body', async () => {
      const body = { channelId: x.id, text: 'Once only', scheduledAt: inMinutes(30) };
      const headers = { 'idempotency-key': `k-${Date.now()}` };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => api.http.post(`${ws}/posts`, body, { token: owner.token, headers })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);

      const list = await api.http.get(`${ws}/posts?limit=200`, { token: owner.token });
      expect(list.body.items.filter((p: { text: string }) => p.text === 'Once only')).toHaveLength(1);

      const other = await api.http.post(
        `${ws}/posts`,
        { ...body, text: 'Something else' },
        { token: owner.token, headers },
      );
      expect(other.status).toBe(409);
    });
  });

  describe('contributors see and edit only their own posts', () => {
    it('keeps agency people and API keys to their own drafts', async () => {
      const agency = await memberWithRole(api.http, owner.token, owner.workspaceId, 'contributor');
      const key = await apiKey(api.http, owner.token, owner.workspaceId, 'contributor');
      const mine = await draft(api.http, agency.token, owner.workspaceId, {
        channelId: x.id,
        text: 'agency draft',
      });
      const keys = await draft(api.http, key.key, owner.workspaceId, { channelId: x.id, text: 'key draft' });
      const staff = await draft(api.http, owner.token, owner.workspaceId, {
        channelId: x.id,
        text: 'staff draft',
      });

      const listed = await api.http.get(`${ws}/posts?limit=200`, { token: agency.token });
      expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
      expect((await api.http.get(`${ws}/posts/${staff.id}`, { token: agency.token })).status).toBe(404);
      expect((await api.http.get(`${ws}/posts/${keys.id}`, { token: agency.token })).status).toBe(404);
      const edit = await api.http.patch(
        `${ws}/posts/${staff.id}`,
        { text: 'hijack' },
        { token: key.key, headers: { 'if-match': '"1"' } },
      );
      expect(edit.status).toBe(404);
      expect((await api.http.get(`${ws}/posts/${keys.id}`, { token: key.key })).body.author).toEqual({
        kind: 'api-key',
        id: key.id,
        onBehalfOf: owner.userId,
      });
      // Editors and above see everything.
      const all = await api.http.get(`${ws}/posts?limit=200`, { token: owner.token });
      expect(all.body.items.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining([mine.id, keys.id, staff.id]),
      );
    });
  });

  describe('bad input', () => {
    const post = (body: Record<string, unknown>) =>
      api.http.post(
        `${ws}/posts`,
        { channelId: x.id, text: 'ok', scheduledAt: inMinutes(60), ...body },
        { token: owner.token },
      );

    it.each([
      ['scheduledAt', { scheduledAt: '2020-01-01T10:00:00Z' }],
      ['scheduledAt', { scheduledAt: '2031-01-01T10:00:00+2:00' }],
      ['timezone', { scheduledAt: '2031-01-01T10:00:00', timezone: 'UTC+2' }],
      ['scheduledAt', { scheduledAt: '2031-02-30T10:00:00Z' }],
      ['text', { text: 'x'.repeat(281) }],
      ['text', { text: '' }],
      ['mediaUrls', { mediaUrls: ['not a url'] }],
      ['link', { link: 'javascript:alert(1)' }],
      ['channelId', { channelId: 'nope' }],
      ['status', { status: 'approved' }],
    ])('refuses a bad %s with 400 naming it', async (field, patch) => {
      const res = await post(patch);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('answers 404 naming channelId for an unknown channel and for a channel of another workspace', async () => {
      const other = await signUp(api.http);
      const foreign = await channel(api.http, other.token, other.workspaceId);
      for (const channelId of ['00000000-0000-4000-8000-000000000000', foreign.id]) {
        const res = await post({ channelId });
        expect(res.status).toBe(404);
        expect(res.body.errors).toEqual([
          { field: 'channelId', message: 'no such channel in this workspace' },
        ]);
      }
    });

    it('counts the text limit as each network does, on create and on edit', async () => {
      // X weighs an emoji 2 and any link 23 (twitter-text).
      expect((await post({ text: '🎉'.repeat(140) })).status).toBe(201);
      const over = await post({ text: '🎉'.repeat(141) });
      expect(over.status).toBe(400);
      expect(over.body.errors).toEqual([
        expect.objectContaining({
          field: 'text',
          message: expect.stringMatching(/282 characters as x counts/),
        }),
      ]);
      expect((await post({ text: `${'a'.repeat(250)} https://example.com/${'p'.repeat(200)}` })).status).toBe(
        201,
      );
      // Bluesky counts graphemes: 300 family emoji (1,800 code points) fit, 301 do not.
      const sky = await channel(api.http, owner.token, owner.workspaceId, {
        network: 'bluesky',
        name: 'Sky',
      });
      expect((await post({ channelId: sky.id, text: '👩‍👩‍👧'.repeat(300) })).status).toBe(201);
      const created = await post({ channelId: sky.id, text: 'short' });
      const edit = await api.http.patch(
        `${ws}/posts/${created.body.id}`,
        { text: '👩‍👩‍👧'.repeat(301) },
        { token: owner.token, headers: { 'if-match': '"1"' } },
      );
      expect(edit.status).toBe(400);
      expect(edit.body.errors).toEqual([expect.objectContaining({ field: 'text' })]);
    });
  });
});
