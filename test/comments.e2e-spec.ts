import {
  apiKey,
  channel,
  draft,
  memberWithRole,
  signUp,
  uniqueEmail,
  type SignedUp,
} from './support/factories';
import { startMailWorld, type MailWorld } from './support/mail-world';
import { waitFor } from './support/wait-for';

/** Comments where the post lives: who sees which, mentions, threads, the review page. */
describe('Comments on posts', () => {
  let world: MailWorld;
  beforeAll(async () => {
    world = await startMailWorld();
  });
  afterAll(() => world.close());
  const http = () => world.api.http;

  /** A brand with its people, an agency contributor who wrote the post, and an outside reviewer. */
  async function brand() {
    const owner = await signUp(http());
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const role = (r: Parameters<typeof memberWithRole>[3]) =>
      memberWithRole(http(), owner.token, owner.workspaceId, r);
    const [admin, editor, approver, agency, otherAgency] = [
      await role('admin'),
      await role('editor'),
      await role('approver'),
      await role('contributor'),
      await role('contributor'),
    ];
    const reviewerEmail = uniqueEmail('client');
    const reviewer = await http().post(
      `${ws}/members`,
      { email: reviewerEmail, name: 'The Client', role: 'reviewer' },
      { token: owner.token },
    );
    const wf = await http().post(
      `${ws}/workflows`,
      {
        name: 'Client',
        isDefault: true,
        stages: [{ name: 'Client', approvers: { userIds: [reviewer.body.userId] }, required: 1 }],
      },
      { token: owner.token },
    );
    expect(wf.status).toBe(201);
    const ch = await channel(http(), owner.token, owner.workspaceId);
    const post = await draft(http(), agency.token, owner.workspaceId, {
      channelId: ch.id,
      text: 'Spring menu',
    });
    const comment = (who: { token: string }, body: Record<string, unknown>, postId = post.id) =>
      http().post(`${ws}/posts/${postId}/comments`, body, { token: who.token });
    const list = async (who: { token: string }) =>
      (await http().get(`${ws}/posts/${post.id}/comments`, { token: who.token })).body.items as any[];
    return {
      owner,
      ws,
      admin,
      editor,
      approver,
      agency,
      otherAgency,
      reviewerEmail,
      reviewerId: reviewer.body.userId as string,
      channelId: ch.id,
      post,
      comment,
      list,
    };
  }

  const mentionMails = (who: SignedUp) =>
    world.smtp.to(who.email).filter((m) => /mentioned you/.test(m.subject ?? ''));

  it('keeps team comments from the agency: in the list, in replies, in errors', async () => {
    const b = await brand();
    const team = await b.comment(b.editor, { body: 'Is the price right?' });
    expect(team.status).toBe(201);
    expect(team.body).toMatchObject({
      visibility: 'team',
      postVersion: 1,
      author: { kind: 'user', id: b.editor.userId },
    });
    const open = await b.comment(b.approver, { body: 'Love it', visibility: 'everyone' });
    const own = await b.comment(b.agency, { body: 'Thanks!' });
    expect(own.body.visibility).toBe('everyone');
    const refused = await b.comment(b.agency, { body: 'Psst', visibility: 'team' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].field).toBe('visibility');

    for (const who of [b.owner, b.admin, b.editor, b.approver]) {
      expect((await b.list(who)).map((c) => c.body)).toEqual(['Is the price right?', 'Love it', 'Thanks!']);
    }
    expect((await b.list(b.agency)).map((c) => c.body)).toEqual(['Love it', 'Thanks!']);
    // An agency key sees what its people see.
    const key = await apiKey(http(), b.owner.token, b.owner.workspaceId, 'contributor');
    expect((await http().get(`${b.ws}/posts/${b.post.id}/comments`, { token: key.key })).status).toBe(404);
    // The agency cannot reply into a team thread, edit it, or learn that it exists.
    const reply = await b.comment(b.agency, { body: 'Me too', parentId: team.body.id });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0]).toEqual({ field: 'parentId', message: 'is not a comment of this post' });
    const probe = await http().patch(
      `${b.ws}/posts/${b.post.id}/comments/${team.body.id}`,
      { body: 'x' },
      { token: b.agency.token },
    );
    expect(probe.status).toBe(404);
    // Another agency's contributor does not see the post at all.
    expect(
      (await http().get(`${b.ws}/posts/${b.post.id}/comments`, { token: b.otherAgency.token })).status,
    ).toBe(404);
    expect((await b.comment(b.otherAgency, { body: 'hi' })).status).toBe(404);
    // A reply to a team comment stays in the team; a reply to a reply is refused.
    const widened = await b.comment(b.approver, {
      body: 'Agreed',
      parentId: team.body.id,
      visibility: 'everyone',
    });
    expect(widened.status).toBe(400);
    expect(widened.body.errors[0].field).toBe('visibility');
    const threaded = await b.comment(b.approver, { body: 'Agreed', parentId: team.body.id });
    expect(threaded.body).toMatchObject({ parentId: team.body.id, visibility: 'team' });
    const deeper = await b.comment(b.editor, { body: 'Deeper', parentId: threaded.body.id });
    expect(deeper.status).toBe(400);
    expect(open.status).toBe(201);
  });

  it('mails a mentioned member once, and only one who may see the comment', async () => {
    const b = await brand();
    const stranger = await signUp(http());
    const team = await b.comment(b.editor, {
      body: `@[${b.approver.userId}] and @[${b.agency.userId}] and @[${stranger.userId}]: check the price`,
    });
    expect(team.body.mentions.map((m: { id: string }) => m.id)).toEqual([b.approver.userId, b.agency.userId]);
    const [mail] = await waitFor(
      () => (mentionMails(b.approver).length > 0 ? mentionMails(b.approver) : undefined),
      {
        what: 'the mention mail',
      },
    );
    expect(mail.text).toMatch(/A editor wrote: @A approver and @A contributor and @someone: check the price/);
    // Editing it keeps those already told untold, and tells the newly mentioned.
    const edited = await http().patch(
      `${b.ws}/posts/${b.post.id}/comments/${team.body.id}`,
      { body: `@[${b.approver.userId}] @[${b.admin.userId}] check the price again` },
      { token: b.editor.token },
    );
    expect(edited.status).toBe(200);
    await waitFor(() => (mentionMails(b.admin).length > 0 ? true : undefined), {
      what: "the admin's mention mail",
    });
    // An everyone comment mentioning the agency reaches them.
    await b.comment(b.approver, {
      body: `@[${b.agency.userId}] please fix the price`,
      visibility: 'everyone',
    });
    const agencyMails = await waitFor(
      () => (mentionMails(b.agency).length > 0 ? mentionMails(b.agency) : undefined),
      { what: "the agency's mention mail" },
    );
    expect(agencyMails).toHaveLength(1);
    expect(agencyMails[0].text).toMatch(/please fix the price/);
    expect(agencyMails[0].text).not.toMatch(/check the price/);
    expect(mentionMails(b.approver)).toHaveLength(1);
    expect(world.smtp.to(stranger.email).filter((m) => /mentioned/.test(m.subject ?? ''))).toHaveLength(0);
  });

  it('lets only the author edit or delete, leaves a tombstone, audits both, and says which were on an older version', async () => {
    const b = await brand();
    const mine = await b.comment(b.editor, { body: 'First thought' });
    const path = `${b.ws}/posts/${b.post.id}/comments/${mine.body.id}`;
    expect((await http().patch(path, { body: 'Hijacked' }, { token: b.owner.token })).status).toBe(403);
    expect((await http().delete(path, { token: b.admin.token })).status).toBe(403);
    expect((await http().patch(path, { body: '  ' }, { token: b.editor.token })).status).toBe(400);
    expect(
      (await http().patch(path, { body: 'x', visibility: 'everyone' }, { token: b.editor.token })).status,
    ).toBe(400);
    expect(
      (await http().patch(path, { body: 'Second thought' }, { token: b.editor.token })).body,
    ).toMatchObject({
      body: 'Second thought',
      editedAt: expect.any(String),
    });
    const reply = await b.comment(b.approver, { body: 'Agreed', parentId: mine.body.id });
    expect((await http().delete(path, { token: b.editor.token })).status).toBe(204);
    expect((await http().patch(path, { body: 'Back' }, { token: b.editor.token })).status).toBe(409);
    // The post changes: the comments were on version 1.
    await http().patch(
      `${b.ws}/posts/${b.post.id}`,
      { text: 'Spring menu, new prices' },
      {
        token: b.agency.token,
        headers: { 'if-match': '"1"' },
      },
    );
    const items = await b.list(b.owner);
    expect(items).toEqual([
      expect.objectContaining({
        id: mine.body.id,
        body: null,
        deletedAt: expect.any(String),
        onOlderVersion: true,
      }),
      expect.objectContaining({
        id: reply.body.id,
        parentId: mine.body.id,
        body: 'Agreed',
        onOlderVersion: true,
      }),
    ]);
    const audit = await http().get(`${b.ws}/posts/${b.post.id}/history`, { token: b.owner.token });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['comment.added', 'comment.edited', 'comment.deleted']));
    // The deleted words are in no audit entry.
    expect(audit.text).not.toContain('Second thought');
  });

  it('shows the outside reviewer the everyone comments and takes theirs from the page, leaving the link good; a rejection is a comment', async () => {
    const b = await brand();
    await b.comment(b.editor, { body: 'Internal: margin is thin' });
    await b.comment(b.approver, { body: 'Looks good to us', visibility: 'everyone' });
    expect(
      (await http().post(`${b.ws}/posts/${b.post.id}/submit`, undefined, { token: b.agency.token })).status,
    ).toBe(200);
    const [mail] = await world.mailsTo(b.reviewerEmail, 1);
    const link = /https:\/\/countersign\.example(\/review\/[A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1];
    const page = await http().get(link);
    expect(page.text).toContain('Looks good to us');
    expect(page.text).not.toContain('margin is thin');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = (fields: Record<string, string>) => ({
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await http().request('POST', link, form({ intent: 'comment', body: 'No csrf' }))).status).toBe(
      403,
    );
    const empty = await http().request('POST', link, form({ intent: 'comment', body: ' ', csrf }));
    expect(empty.status).toBe(400);
    const added = await http().request(
      'POST',
      link,
      form({ intent: 'comment', body: 'Can we say "fresh"?', csrf }),
    );
    expect(added.status).toBe(200);
    expect(added.text).toContain('Your comment was added.');
    expect(added.text).toContain('Can we say &quot;fresh&quot;?');
    const fromPage = (await b.list(b.agency)).find((c) => c.body === 'Can we say "fresh"?');
    expect(fromPage).toMatchObject({
      visibility: 'everyone',
      author: { id: b.reviewerId, name: 'The Client' },
    });
    // The link still takes the decision: a rejection, whose comment joins the conversation.
    const rejected = await http().request(
      'POST',
      link,
      form({ decision: 'reject', comment: 'Say fresh, please', csrf }),
    );
    expect(rejected.status).toBe(200);
    expect((await b.list(b.agency)).at(-1)).toMatchObject({
      body: 'Say fresh, please',
      visibility: 'everyone',
    });
  });

  it('answers 400 by field for bad input and 404 for another workspace', async () => {
    const b = await brand();
    for (const [body, field] of [
      [{}, 'body'],
      [{ body: '' }, 'body'],
      [{ body: 'x'.repeat(10_001) }, 'body'],
      [{ body: 'x', visibility: 'public' }, 'visibility'],
      [{ body: 'x', visibility: null }, 'visibility'],
      [{ body: 'x', parentId: 'nope' }, 'parentId'],
      [{ body: 'x', parentId: '00000000-0000-4000-8000-000000000000' }, 'parentId'],
      [{ body: 'x', color: 'red' }, 'color'],
    ] as const) {
      const res = await b.comment(b.editor, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const other = await brand();
    const theirs = await other.comment(other.editor, { body: 'Theirs' });
    expect(
      (await http().get(`${other.ws}/posts/${other.post.id}/comments`, { token: b.editor.token })).status,
    ).toBe(404);
    expect(
      (await http().get(`${b.ws}/posts/${other.post.id}/comments`, { token: b.editor.token })).status,
    ).toBe(404);
    expect(
      (
        await http().patch(
          `${b.ws}/posts/${b.post.id}/comments/${theirs.body.id}`,
          { body: 'x' },
          { token: other.editor.token },
        )
      ).status,
    ).toBe(404);
    const cross = await b.comment(b.editor, { body: 'x', parentId: theirs.body.id });
    expect(cross.status).toBe(400);
  });
});
