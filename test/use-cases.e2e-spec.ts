import { DomainError, ErrorCode, NO_CONTENT_RULES, type Actor, type Role } from '@app/domain';
import { Client } from 'pg';
import { ApprovalsService } from '../apps/api/src/approvals/approvals.service';
import { ContentRulesService } from '../apps/api/src/content-rules/content-rules.service';
import { PostsService } from '../apps/api/src/posts/posts.service';
import { apiKey, approverWorkflow, channel, inMinutes, memberWithRole, signUp } from './support/factories';
import { startApi, type TestApi } from './support/test-app';

/**
 * The API's use cases called directly, as a controller calls them, against the real
 * database: what each one loads, locks and stores, without HTTP in between.
 */
describe('Use cases: PostsService and ApprovalsService', () => {
  let api: TestApi;
  let posts: PostsService;
  let approvals: ApprovalsService;
  let db: Client;

  beforeAll(async () => {
    api = await startApi();
    posts = api.app.get(PostsService);
    approvals = api.app.get(ApprovalsService);
    db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const asUser = (workspaceId: string, userId: string, role: Role): Actor => ({
    kind: 'user',
    userId,
    workspaceId,
    role,
  });

  /** A workspace with its owner, an editor, two approvers, a contributor, a channel and a 1-of-approvers workflow. */
  async function workspace(required = 1) {
    const owner = await signUp(api.http);
    const ws = owner.workspaceId;
    const member = async (role: Role) => {
      const m = await memberWithRole(api.http, owner.token, ws, role);
      return asUser(ws, m.userId, role);
    };
    const [editor, approverA, approverB, contributor] = [
      await member('editor'),
      await member('approver'),
      await member('approver'),
      await member('contributor'),
    ];
    const ch = await channel(api.http, owner.token, ws);
    await approverWorkflow(api.http, owner.token, ws, { required });
    return {
      owner,
      ownerActor: asUser(ws, owner.userId, 'owner'),
      editor,
      approverA,
      approverB,
      contributor,
      channelId: ch.id,
    };
  }

  const refusal = async (work: Promise<unknown>): Promise<DomainError> => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  };

  const outboxOf = async (postId: string) =>
    (
      await db.query<{ topic: string; version: number }>(
        `SELECT topic, (payload->>'version')::int AS version FROM outbox
          WHERE topic LIKE 'publish.%' AND payload->>'postId' = $1 ORDER BY id`,
        [postId],
      )
    ).rows;

  const auditOf = async (postId: string) =>
    (
      await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE post_id = $1 ORDER BY seq`, [
        postId,
      ])
    ).rows.map((r) => r.action);

  describe('PostsService', () => {
    it("hides another contributor's post and another workspace's post as not found", async () => {
      const w = await workspace();
      const other = await workspace();
      const { post } = await posts.create(w.contributor, 'UTC', {
        channelId: w.channelId,
        text: 'Mine',
        scheduledAt: inMinutes(60),
      });
      const otherContributor = asUser(w.owner.workspaceId, (await signUp(api.http)).userId, 'contributor');
      expect((await refusal(posts.get(otherContributor, post.id))).code).toBe(ErrorCode.NotFound);
      expect((await refusal(posts.get(other.ownerActor, post.id))).code).toBe(ErrorCode.NotFound);
      expect((await refusal(posts.cancel(other.ownerActor, post.id))).code).toBe(ErrorCode.NotFound);
      expect((await posts.get(w.editor, post.id)).id).toBe(post.id);
    });

    it('refuses a workflow chosen by anyone but owners and admins, naming workflowId', async () => {
      const w = await workspace();
      const error = await refusal(
        posts.create(w.editor, 'UTC', {
          channelId: w.channelId,
          text: 'Pick the weak one',
          scheduledAt: inMinutes(60),
          workflowId: '00000000-0000-4000-8000-000000000000',
        }),
      );
      expect(error.code).toBe(ErrorCode.Forbidden);
      expect(error.errors?.map((e) => e.field)).toEqual(['workflowId']);
    });

    it('an edit of an approved post makes a new version back in review, and asks for its job to go', async () => {
      const w = await workspace();
      const { post } = await posts.create(w.editor, 'UTC', {
        channelId: w.channelId,
        text: 'Before',
        scheduledAt: inMinutes(60),
      });
      await approvals.submit(w.editor, post.id);
      const approved = await approvals.decide(
        w.approverA,
        post.id,
        { decision: 'approve', version: 1 },
        { via: 'api' },
      );
      expect(approved.status).toBe('approved');

      const stale = await refusal(posts.update(w.editor, 'UTC', post.id, '"2"', { text: 'After' }));
      expect(stale.code).toBe(ErrorCode.PreconditionFailed);
      const edited = await posts.update(w.editor, 'UTC', post.id, '"1"', { text: 'After' });
      expect({ status: edited.status, version: edited.version }).toEqual({ status: 'in_review', version: 2 });
      expect(await outboxOf(post.id)).toEqual([
        { topic: 'publish.schedule', version: 1 },
        { topic: 'publish.unschedule', version: 1 },
      ]);
      // The old version's sign-off is not the new one's.
      const progress = await db.query(
        `SELECT count(*)::int AS n FROM approvals WHERE post_id = $1 AND version = 2`,
        [post.id],
      );
      expect(progress.rows[0].n).toBe(0);
    });

    it('a move in time keeps the version and moves the job; a cancel is final and idempotent', async () => {
      const w = await workspace();
      const { post } = await posts.create(w.editor, 'UTC', {
        channelId: w.channelId,
        text: 'Move me',
        scheduledAt: inMinutes(60),
      });
      await approvals.submit(w.editor, post.id);
      await approvals.decide(w.approverA, post.id, { decision: 'approve', version: 1 }, { via: 'api' });
      const moved = await posts.update(w.editor, 'UTC', post.id, '"1"', { scheduledAt: inMinutes(120) });
      expect({ status: moved.status, version: moved.version }).toEqual({ status: 'approved', version: 1 });
      const canceled = await posts.cancel(w.editor, post.id);
      expect(canceled.status).toBe('canceled');
      expect((await posts.cancel(w.editor, post.id)).status).toBe('canceled');
      expect((await refusal(posts.update(w.editor, 'UTC', post.id, '"1"', { text: 'Revive' }))).code).toBe(
        ErrorCode.Conflict,
      );
      expect((await outboxOf(post.id)).map((m) => m.topic)).toEqual([
        'publish.schedule',
        'publish.schedule',
        'publish.unschedule',
      ]);
      expect(await auditOf(post.id)).toEqual([
        'post.created',
        'post.submitted',
        'post.signed_off',
        'post.approved',
        'post.edited',
        'post.canceled',
      ]);
    });
  });

  describe('ApprovalsService', () => {
    it('refuses to submit what breaks the content rules, naming each field', async () => {
      const w = await workspace();
      await api.app.get(ContentRulesService).replace(w.ownerActor, {
        ...NO_CONTENT_RULES,
        blockedTerms: ['refund'],
        allowedLinkDomains: ['example.com'],
      });
      const { post } = await posts.create(w.editor, 'UTC', {
        channelId: w.channelId,
        text: 'No refund for you',
        link: 'https://elsewhere.test/x',
        scheduledAt: inMinutes(60),
      });
      const error = await refusal(approvals.submit(w.editor, post.id));
      expect(error.code).toBe(ErrorCode.Unprocessable);
      expect(error.errors?.map((e) => e.field).sort()).toEqual(['link', 'text']);
      expect((await posts.get(w.editor, post.id)).status).toBe('draft');
    });

    it('two last sign-offs at once make one approval: one job asked for, one post.approved', async () => {
      const w = await workspace(2);
      for (let round = 0; round < 5; round++) {
        const { post } = await posts.create(w.editor, 'UTC', {
          channelId: w.channelId,
          text: `Race ${round}`,
          scheduledAt: inMinutes(60),
        });
        await approvals.submit(w.editor, post.id);
        const [a, b] = await Promise.all(
          [w.approverA, w.approverB].map((approver) =>
            approvals.decide(approver, post.id, { decision: 'approve', version: 1 }, { via: 'api' }),
          ),
        );
        expect([a.status, b.status].sort()).toEqual(['approved', 'in_review']);
        expect(await outboxOf(post.id)).toEqual([{ topic: 'publish.schedule', version: 1 }]);
        expect((await auditOf(post.id)).filter((x) => x === 'post.approved')).toHaveLength(1);
      }
    });

    it('refuses a second decision on one version, a key signing off, and the author counting', async () => {
      const w = await workspace();
      const { post } = await posts.create(w.approverA, 'UTC', {
        channelId: w.channelId,
        text: 'My own',
        scheduledAt: inMinutes(60),
      });
      await approvals.submit(w.approverA, post.id);
      // The author may not sign off their own post.
      expect(
        (
          await refusal(
            approvals.decide(w.approverA, post.id, { decision: 'approve', version: 1 }, { via: 'api' }),
          )
        ).code,
      ).toBe(ErrorCode.Forbidden);
      await approvals.decide(w.approverB, post.id, { decision: 'approve', version: 1 }, { via: 'api' });
      expect(
        (
          await refusal(
            approvals.decide(w.approverB, post.id, { decision: 'approve', version: 1 }, { via: 'api' }),
          )
        ).code,
      ).toBe(ErrorCode.Conflict);

      const key = await apiKey(api.http, w.owner.token, w.owner.workspaceId, 'editor');
      const keyActor: Actor = {
        kind: 'api-key',
        apiKeyId: key.id,
        onBehalfOf: w.owner.userId,
        workspaceId: w.owner.workspaceId,
        role: 'editor',
      };
      expect(
        (
          await refusal(
            approvals.decide(keyActor, post.id, { decision: 'approve', version: 1 }, { via: 'api' }),
          )
        ).code,
      ).toBe(ErrorCode.Forbidden);
    });
  });
});
