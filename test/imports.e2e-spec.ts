import { apiKey, channel, memberWithRole, signUp, type SignedUp } from './support/factories';
import { Client } from 'pg';
import { startApi, type TestApi } from './support/test-app';

/** Bulk import of drafts from CSV: checked like creates, all or none, idempotent. */
describe('Importing posts from CSV', () => {
  let api: TestApi;
  let db: Client;
  beforeAll(async () => {
    api = await startApi();
    db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  async function brand() {
    const owner = await signUp(api.http, { timezone: 'Europe/Paris' });
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const x = await channel(api.http, owner.token, owner.workspaceId, { name: 'Acme X', network: 'x' });
    const li = await channel(api.http, owner.token, owner.workspaceId, {
      name: 'Acme LinkedIn',
      network: 'linkedin',
    });
    const campaign = await api.http.post(
      `${ws}/campaigns`,
      { name: 'Spring launch' },
      { token: owner.token },
    );
    const send = (
      csv: string,
      query = '',
      who: { token: string } = owner,
      headers: Record<string, string> = {},
    ) =>
      api.http.request('POST', `${ws}/posts/import${query}`, {
        token: who.token,
        body: csv,
        headers: { 'content-type': 'text/csv', ...headers },
      });
    const count = async () =>
      Number(
        (await db.query(`SELECT count(*) FROM posts WHERE workspace_id = $1`, [owner.workspaceId])).rows[0]
          .count,
      );
    return { owner, ws, x, li, campaignId: campaign.body.id as string, send, count };
  }

  /** `n` rows over the next days, local times in the workspace's zone, alternating channels by name. */
  const rows = (n: number) => {
    const lines = ['channelName,scheduledAt,text,link,mediaUrls,campaign'];
    for (let i = 0; i < n; i += 1) {
      const day = new Date(Date.now() + (2 + (i % 300)) * 86_400_000).toISOString().slice(0, 10);
      const minute = String(i % 60).padStart(2, '0');
      lines.push(
        `${i % 2 ? 'Acme LinkedIn' : 'acme x'},${day}T09:${minute},"Post ${i}, with a comma",https://acme.example/${i},,${i % 3 ? '' : 'spring launch'}`,
      );
    }
    return `${lines.join('\n')}\n`;
  };

  it('checks 10,000 rows in a dry run, then makes them, with their revisions and audit entries', async () => {
    const b = await brand();
    const csv = rows(10_000);
    const dry = await b.send(csv, '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 0, failed: 0 });
    expect(dry.body.rows).toHaveLength(10_000);
    expect(await b.count()).toBe(0);

    const made = await b.send(csv);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ dryRun: false, atomic: true, created: 10_000, failed: 0 });
    expect(await b.count()).toBe(10_000);
    const first = await api.http.get(`${b.ws}/posts/${made.body.rows[0].postId}`, { token: b.owner.token });
    expect(first.body).toMatchObject({
      status: 'draft',
      version: 1,
      channelId: b.x.id,
      text: 'Post 0, with a comma',
      link: 'https://acme.example/0',
      campaignId: b.campaignId,
      author: { kind: 'user', id: b.owner.userId },
    });
    // 09:00 local in Paris, whatever the offset that day.
    expect(first.body.scheduledAtLocal).toMatch(/T09:00:00\+0[12]:00$/);
    const second = await api.http.get(`${b.ws}/posts/${made.body.rows[1].postId}`, { token: b.owner.token });
    expect(second.body).toMatchObject({ channelId: b.li.id, campaignId: null });
    const history = await api.http.get(`${b.ws}/posts/${first.body.id}/history`, { token: b.owner.token });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['post.created']);
    const revisions = await api.http.get(`${b.ws}/posts/${first.body.id}/revisions`, {
      token: b.owner.token,
    });
    expect(revisions.body.items).toHaveLength(1);
    // The chain still verifies with 10,000 more entries.
    const chain = await db.query(
      `SELECT count(*) AS n, count(DISTINCT seq) AS seqs FROM audit_events WHERE workspace_id = $1`,
      [b.owner.workspaceId],
    );
    expect(Number(chain.rows[0].seqs)).toBe(Number(chain.rows[0].n));
  });

  it('lists bad rows by number and column; atomic makes none, row by row makes the rest', async () => {
    const b = await brand();
    const lines = rows(8).trim().split('\n');
    lines[3] = 'Acme X,2020-01-01T09:00,In the past,,,'; // row 3
    lines[5] = 'Nobody,2030-01-01T09:00,No such channel,,,'; // row 5
    lines[7] = `Acme X,2030-01-01T09:00,${'x'.repeat(281)},not a url,,Autumn`; // row 7
    const csv = lines.join('\n');
    const atomic = await b.send(csv);
    expect(atomic.status).toBe(400);
    expect(atomic.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'rows[3].scheduledAt',
      'rows[5].channelName',
      'rows[7].link',
      'rows[7].campaign',
      'rows[7].text',
    ]);
    expect(await b.count()).toBe(0);

    const partial = await b.send(csv, '?atomic=false');
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ atomic: false, created: 5, failed: 3 });
    expect(
      partial.body.rows.filter((r: { ok: boolean }) => !r.ok).map((r: { row: number }) => r.row),
    ).toEqual([3, 5, 7]);
    expect(await b.count()).toBe(5);
  });

  it('answers the same request with the same Idempotency-Key once, and refuses the key with another CSV', async () => {
    const b = await brand();
    const csv = rows(20);
    const key = { 'idempotency-key': 'import-2027-03' };
    const first = await b.send(csv, '', b.owner, key);
    const again = await b.send(csv, '', b.owner, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await b.count()).toBe(20);
    const other = await b.send(rows(21), '', b.owner, key);
    expect(other.status).toBe(422);
    expect(await b.count()).toBe(20);
  });

  it('refuses a bad header, a body that is not CSV, too many rows, and keeps to the caller and the workspace', async () => {
    const b = await brand();
    const bad = async (
      csv: string,
      field: string,
      headers: Record<string, string> = { 'content-type': 'text/csv' },
    ) => {
      const res = await api.http.request('POST', `${b.ws}/posts/import`, {
        token: b.owner.token,
        body: csv,
        headers,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad('channelName,scheduledAt,text,color\nAcme X,2030-01-01T09:00,Hi,red\n', 'columns.color');
    await bad('channelName,scheduledAt\nAcme X,2030-01-01T09:00\n', 'columns.text');
    await bad('scheduledAt,text\n2030-01-01T09:00,Hi\n', 'columns.channelId');
    await bad('channelName,scheduledAt,text\n"Acme X,2030-01-01T09:00,Hi\n', 'body');
    await bad('channelName,scheduledAt,text\nAcme X,2030-01-01T09:00\n', 'body');
    await bad('channelName,scheduledAt,text\n', 'body');
    await bad(rows(10_001), 'body');
    await bad(JSON.stringify({ text: 'hi' }), 'body', { 'content-type': 'application/json' });
    expect(
      (
        await api.http.request('POST', `${b.ws}/posts/import?dryRun=yes`, {
          token: b.owner.token,
          body: rows(1),
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(400);

    // Another workspace's channel is no channel here; its import route is a 404.
    const other = await brand();
    const foreign = await b.send(`channelId,scheduledAt,text\n${other.x.id},2030-01-01T09:00,Hi\n`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toEqual({
      field: 'rows[1].channelId',
      message: 'is not a channel of this workspace',
    });
    expect((await other.send(rows(1), '', b.owner)).status).toBe(404);
    // An agency contributor imports drafts of its own; an approver imports nothing.
    const agency: SignedUp = await memberWithRole(
      api.http,
      b.owner.token,
      b.owner.workspaceId,
      'contributor',
    );
    const theirs = await b.send(rows(2), '', agency);
    expect(theirs.status).toBe(201);
    const post = await api.http.get(`${b.ws}/posts/${theirs.body.rows[0].postId}`, { token: agency.token });
    expect(post.body.author).toEqual({ kind: 'user', id: agency.userId });
    const approver = await memberWithRole(api.http, b.owner.token, b.owner.workspaceId, 'approver');
    expect((await b.send(rows(1), '', approver)).status).toBe(403);
    const key = await apiKey(api.http, b.owner.token, b.owner.workspaceId, 'contributor');
    const byKey = await b.send(rows(1), '', { token: key.key });
    expect(byKey.status).toBe(201);
  });
});
