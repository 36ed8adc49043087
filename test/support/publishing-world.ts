import { approverWorkflow, channel, draft, memberWithRole, signUp, type SignedUp } from './factories';
import type { HttpClient } from './http-client';
import { waitFor } from './wait-for';

/** A workspace ready to publish: owner (the author), one approver, a one-stage workflow, a webhook channel. */
export interface PublishingWorld {
  owner: SignedUp;
  approver: SignedUp;
  ws: string;
  channelId: string;
  approvedPost(scheduledAt: Date, text?: string): Promise<{ id: string; version: number }>;
  /**
   * `count` approved posts due together `secondsAhead` from when they are all ready:
   * made side by side for an hour ahead, then moved (a move in time keeps their
   * sign-offs), so a slow machine cannot make the first ones due before the last exist.
   */
  approvedPostsDueTogether(
    count: number,
    secondsAhead: number,
  ): Promise<{ due: Date; posts: Array<{ id: string; version: number }> }>;
  status(postId: string): Promise<any>;
  untilStatus(postId: string, status: string, timeoutMs?: number): Promise<any>;
}

export async function publishingWorld(
  http: HttpClient,
  webhookUrl: string,
  secret: string,
): Promise<PublishingWorld> {
  const owner = await signUp(http);
  const ws = `/v1/workspaces/${owner.workspaceId}`;
  const approver = await memberWithRole(http, owner.token, owner.workspaceId, 'approver');
  await approverWorkflow(http, owner.token, owner.workspaceId, { name: 'One sign-off', stage: 'Approver' });
  const ch = await channel(http, owner.token, owner.workspaceId, {
    network: 'linkedin',
    publisher: { kind: 'webhook', url: webhookUrl, secret },
  });

  const status = async (postId: string) =>
    (await http.get(`${ws}/posts/${postId}`, { token: owner.token })).body;
  const approvedPost: PublishingWorld['approvedPost'] = async (scheduledAt, text = 'Going out') => {
    const post = await draft(http, owner.token, owner.workspaceId, {
      channelId: ch.id,
      text,
      scheduledAt: scheduledAt.toISOString(),
    });
    const submitted = await http.post(`${ws}/posts/${post.id}/submit`, undefined, { token: owner.token });
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.text}`);
    const approved = await http.post(
      `${ws}/posts/${post.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: approver.token },
    );
    if (approved.body.status !== 'approved') throw new Error(`approve: ${approved.text}`);
    return { id: post.id, version: 1 };
  };
  return {
    owner,
    approver,
    ws,
    channelId: ch.id,
    status,
    approvedPost,
    async approvedPostsDueTogether(count, secondsAhead) {
      const inAnHour = new Date(Date.now() + 3600_000);
      const posts = await Promise.all(
        Array.from({ length: count }, (_, i) => approvedPost(inAnHour, `Due together ${i}`)),
      );
      const due = new Date(Date.now() + secondsAhead * 1000);
      await Promise.all(
        posts.map(async (p) => {
          const moved = await http.patch(
            `${ws}/posts/${p.id}`,
            { scheduledAt: due.toISOString() },
            { token: owner.token, headers: { 'if-match': `"${p.version}"` } },
          );
          if (moved.body.status !== 'approved') throw new Error(`move: ${moved.text}`);
        }),
      );
      return { due, posts };
    },
    untilStatus: (postId, wanted, timeoutMs = 15_000) =>
      waitFor(
        async () => {
          const p = await status(postId);
          return p.status === wanted ? p : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `post ${postId} ${wanted}` },
      ),
  };
}
