import { approverWorkflow, draft, memberWithRole, signUp, type SignedUp } from './factories';
import type { HttpClient } from './http-client';
import { waitFor } from './wait-for';

/** An owner and an approver in a workspace whose default workflow needs one sign-off. */
export interface Team {
  owner: SignedUp;
  approver: SignedUp;
  ws: string;
}

/**
 * What the network suites do with a team: make one, sign posts off, publish them,
 * wait for them. `api` gives the client once the suite's app has started.
 */
export function networkTeams(api: () => HttpClient) {
  const http = {
    post: (...args: Parameters<HttpClient['post']>) => api().post(...args),
    get: (...args: Parameters<HttpClient['get']>) => api().get(...args),
  };
  const team = async (): Promise<Team> => {
    const owner = await signUp(api(), { workspaceName: 'Acme Coffee' });
    const approver = await memberWithRole(api(), owner.token, owner.workspaceId, 'approver');
    await approverWorkflow(api(), owner.token, owner.workspaceId);
    return { owner, approver, ws: `/v1/workspaces/${owner.workspaceId}` };
  };

  /** A post signed off, due at its time (an hour from now unless given). */
  const approvedPost = async (t: Team, channelId: string, body: Record<string, unknown> = {}) => {
    const post = await draft(api(), t.owner.token, t.owner.workspaceId, {
      channelId,
      text: 'Spring menu is here',
      ...body,
    });
    const submitted = await http.post(`${t.ws}/posts/${post.id}/submit`, undefined, { token: t.owner.token });
    if (submitted.status !== 200) throw new Error(`submit: ${submitted.text}`);
    const approved = await http.post(
      `${t.ws}/posts/${post.id}/approvals`,
      { decision: 'approve', version: 1 },
      { token: t.approver.token },
    );
    if (approved.body.status !== 'approved') throw new Error(`approve: ${approved.text}`);
    return post.id;
  };

  /** An approved post, sent out now through the gate. */
  const publishNow = async (t: Team, channelId: string, body: Record<string, unknown> = {}) => {
    const postId = await approvedPost(t, channelId, body);
    const now = await http.post(`${t.ws}/posts/${postId}/publish-now`, undefined, { token: t.owner.token });
    if (now.status >= 300) throw new Error(`publish-now: ${now.text}`);
    return postId;
  };

  const untilStatus = (t: Team, postId: string, wanted: string) =>
    waitFor(
      async () => {
        const p = await http.get(`${t.ws}/posts/${postId}`, { token: t.owner.token });
        return p.body.status === wanted ? p.body : undefined;
      },
      { what: `post ${postId} ${wanted}`, timeoutMs: 20_000 },
    );

  return { team, approvedPost, publishNow, untilStatus };
}
