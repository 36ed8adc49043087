import { Capability, ROLE_CAPABILITIES, type Role } from '@app/domain';
import {
  apiKey,
  channel,
  draft,
  inMinutes,
  memberWithRole,
  signUp,
  uniqueEmail,
  type SignedUp,
} from './support/factories';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { startApi, type TestApi } from './support/test-app';

/**
 * The tenancy and role matrix, data-driven: every workspace-scoped route is a row.
 * For each row and each kind of caller (every role, and API keys of both roles):
 *  - on its own workspace the caller gets the row's success status exactly when its
 *    role holds the row's capability, 403 otherwise;
 *  - on workspace B (where it is no member) it gets 404, as if B did not exist;
 *  - a resource of B addressed through its own workspace is 404 too.
 * A new route joins by adding a row.
 */
interface Ws {
  id: string;
  owner: SignedUp;
  channelId: string;
  workflowId: string;
  /** an active approver, named as a stand-in by the delegation rows */
  standInId: string;
}

interface Row {
  name: string;
  capability: Capability;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  ok: number;
  /** Builds the path (creating a fresh target when the call consumes one) in `ws`. */
  path: (ws: Ws) => Promise<string>;
  body?: (ws: Ws) => unknown;
  headers?: Record<string, string>;
  /** Callers whose answer differs from the matrix's (contributors on posts that are not theirs: 404). */
  override?: Record<string, number>;
  /** The same route naming a resource of `other` through `ws` (must be 404). */
  foreignPath?: (ws: Ws, other: Ws) => Promise<string>;
}

type Caller = { label: string; role: Role; token: string };

describe('Access matrix (tenancy and roles on every workspace route)', () => {
  let api: TestApi;
  let db: Client;
  let a: Ws;
  let b: Ws;
  let callers: Caller[];

  const base = (ws: Ws) => `/v1/workspaces/${ws.id}`;
  /** Someone without an account, added: an invitation (no membership until they accept). */
  const freshMember = async (ws: Ws) => {
    const res = await api.http.post(
      `${base(ws)}/members`,
      { email: uniqueEmail('target'), role: 'approver' },
      { token: ws.owner.token },
    );
    return res.body.userId as string;
  };
  const freshKey = async (ws: Ws) => (await apiKey(api.http, ws.owner.token, ws.id, 'contributor')).id;
  const freshPost = async (ws: Ws) =>
    (await draft(api.http, ws.owner.token, ws.id, { channelId: ws.channelId })).id;
  let campaigns = 0;
  const freshCampaign = async (ws: Ws) => {
    const made = await api.http.post(
      `${base(ws)}/campaigns`,
      { name: `Matrix ${++campaigns}` },
      { token: ws.owner.token },
    );
    if (made.status !== 201) throw new Error(`campaign: ${made.text}`);
    return made.body.id as string;
  };
  /** A campaign with one post of the owner's in it: the path to the campaign, and the post. */
  const campaignWithPost = async (ws: Ws) => {
    const id = await freshCampaign(ws);
    const post = await draft(api.http, ws.owner.token, ws.id, { channelId: ws.channelId, campaignId: id });
    return { path: `${base(ws)}/campaigns/${id}`, postId: post.id };
  };
  let mentions = 0;
  /** A mention of the workspace, posted by a listening tool through a token of its own. */
  const freshMention = async (ws: Ws) => {
    const made = await api.http.post(
      `${base(ws)}/listening/inbound-tokens`,
      { name: 'Tool' },
      { token: ws.owner.token },
    );
    const body = JSON.stringify({
      mentions: [
        {
          network: 'mastodon',
          externalId: `matrix-${++mentions}`,
          author: { handle: '@fan@social.example' },
          text: 'Hello',
          createdAt: new Date().toISOString(),
        },
      ],
    });
    const at = new Date();
    const sent = await api.http.request('POST', new URL(made.body.url as string).pathname, {
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': `msg_${mentions}`,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(made.body.secret as string).sign(`msg_${mentions}`, at, body),
      },
    });
    if (sent.status !== 202) throw new Error(`mention: ${sent.text}`);
    const inbox = await api.http.get(`${base(ws)}/mentions?limit=1`, { token: ws.owner.token });
    return inbox.body.items[0].id as string;
  };
  /** A mention as if read from the workspace's channel: one a reply can answer. */
  const replyableMention = async (ws: Ws) => {
    const id = await freshMention(ws);
    await db.query(
      `UPDATE mentions SET channel_id = $2, reply_ref = '{"network":"mastodon","statusId":"1"}' WHERE id = $1`,
      [id, ws.channelId],
    );
    return id;
  };
  const freshFeed = async (ws: Ws) =>
    (await api.http.post(`${base(ws)}/calendar-feeds`, undefined, { token: ws.owner.token })).body
      .id as string;
  const freshWebhook = async (ws: Ws) =>
    (
      await api.http.post(
        `${base(ws)}/webhooks`,
        { url: 'http://127.0.0.1:9/hook', events: ['post.published'], secret: 'matrix-secret-0123456789' },
        { token: ws.owner.token },
      )
    ).body.id as string;
  const NOT_THEIRS = { contributor: 404, 'API key (contributor)': 404 };
  /** A comment by the owner on a fresh post: its path. */
  const ownersComment = async (ws: Ws) => {
    const postId = await freshPost(ws);
    const made = await api.http.post(
      `${base(ws)}/posts/${postId}/comments`,
      { body: 'By the owner' },
      {
        token: ws.owner.token,
      },
    );
    if (made.status !== 201) throw new Error(`comment: ${made.text}`);
    return `${base(ws)}/posts/${postId}/comments/${made.body.id as string}`;
  };
  /** Only its author (the owner) may change a comment; the agency does not see the post. */
  const NOT_THE_AUTHOR = { ...NOT_THEIRS, admin: 403, editor: 403, approver: 403, 'API key (editor)': 403 };
  const freshSubmitted = async (ws: Ws) => {
    const id = await freshPost(ws);
    await api.http.post(`${base(ws)}/posts/${id}/submit`, undefined, { token: ws.owner.token });
    return id;
  };
  const workflowBody = () => ({
    name: 'wf',
    stages: [{ name: 'one', approvers: { roles: ['owner', 'admin', 'editor', 'approver'] }, required: 1 }],
  });

  const activeMember = async (ws: Ws) =>
    (await memberWithRole(api.http, ws.owner.token, ws.id, 'approver')).userId;
  const delegationBody = (ws: Ws) => ({
    delegateUserId: ws.standInId,
    from: new Date(Date.now() - 60_000).toISOString(),
    until: new Date(Date.now() + 3600_000).toISOString(),
  });
  /** A member who has named the workspace's stand-in. */
  const delegatingMember = async (ws: Ws) => {
    const userId = await activeMember(ws);
    const set = await api.http.put(`${base(ws)}/members/${userId}/delegation`, delegationBody(ws), {
      token: ws.owner.token,
    });
    if (set.status !== 200) throw new Error(`delegation: ${set.text}`);
    return userId;
  };
  const variantSource = new Map<string, string>();
  const NOT_FOR_OTHERS = { editor: 403, approver: 403, 'API key (editor)': 403 };

  const ROWS: Row[] = [
    {
      name: 'GET workspace',
      capability: Capability.WorkspaceRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => base(ws),
    },
    {
      name: 'PATCH workspace',
      capability: Capability.WorkspaceManage,
      method: 'PATCH',
      ok: 200,
      path: async (ws) => base(ws),
      body: () => ({ name: 'Renamed by the matrix' }),
    },
    {
      name: 'GET members',
      capability: Capability.MembersRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/members`,
    },
    {
      name: 'GET member',
      capability: Capability.MembersRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/members/${ws.owner.userId}`,
      foreignPath: async (ws, other) => `${base(ws)}/members/${other.owner.userId}`,
    },
    {
      name: 'POST member',
      capability: Capability.MembersManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/members`,
      body: () => ({ email: uniqueEmail('new'), role: 'editor' }),
    },
    {
      name: 'PATCH member',
      capability: Capability.MembersManage,
      method: 'PATCH',
      ok: 200,
      path: async (ws) => `${base(ws)}/members/${await freshMember(ws)}`,
      body: () => ({ role: 'editor' }),
      foreignPath: async (ws, other) => `${base(ws)}/members/${await freshMember(other)}`,
    },
    {
      name: 'POST member resend-invitation',
      capability: Capability.MembersManage,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/members/${await freshMember(ws)}/resend-invitation`,
      foreignPath: async (ws, other) => `${base(ws)}/members/${await freshMember(other)}/resend-invitation`,
    },
    {
      name: 'DELETE member',
      capability: Capability.MembersManage,
      method: 'DELETE',
      ok: 204,
      path: async (ws) => `${base(ws)}/members/${await freshMember(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/members/${await freshMember(other)}`,
    },
    {
      name: 'GET post comments',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/comments`,
      override: NOT_THEIRS,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/comments`,
    },
    {
      name: 'POST post comment',
      capability: Capability.PostsComment,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/comments`,
      body: () => ({ body: 'From the matrix', visibility: 'everyone' }),
      override: NOT_THEIRS,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/comments`,
    },
    {
      name: 'PATCH post comment',
      capability: Capability.PostsComment,
      method: 'PATCH',
      ok: 200,
      path: ownersComment,
      body: () => ({ body: 'Changed by the matrix' }),
      override: NOT_THE_AUTHOR,
      foreignPath: async (ws, other) => (await ownersComment(other)).replace(base(other), base(ws)),
    },
    {
      name: 'DELETE post comment',
      capability: Capability.PostsComment,
      method: 'DELETE',
      ok: 204,
      path: ownersComment,
      override: NOT_THE_AUTHOR,
      foreignPath: async (ws, other) => (await ownersComment(other)).replace(base(other), base(ws)),
    },
    {
      name: 'POST posts import',
      capability: Capability.PostsWrite,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/posts/import`,
      headers: { 'content-type': 'text/csv' },
      body: (ws) =>
        `channelId,scheduledAt,text\n${ws.channelId},2031-01-01T09:00:00Z,Imported by the matrix\n`,
    },
    {
      name: 'GET mentions',
      capability: Capability.MentionsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/mentions`,
    },
    {
      name: 'GET mention',
      capability: Capability.MentionsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/mentions/${await freshMention(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/mentions/${await freshMention(other)}`,
    },
    {
      name: 'PATCH mention',
      capability: Capability.MentionsHandle,
      method: 'PATCH',
      ok: 200,
      path: async (ws) => `${base(ws)}/mentions/${await freshMention(ws)}`,
      body: () => ({ status: 'handled' }),
      foreignPath: async (ws, other) => `${base(ws)}/mentions/${await freshMention(other)}`,
    },
    {
      name: 'POST mention reply',
      capability: Capability.MentionsHandle,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/mentions/${await replyableMention(ws)}/reply`,
      body: () => ({ text: 'Thanks for telling us' }),
      foreignPath: async (ws, other) => `${base(ws)}/mentions/${await replyableMention(other)}/reply`,
    },
    {
      name: 'GET mention stats',
      capability: Capability.MentionsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/mentions/stats?bucket=1h`,
    },
    {
      name: 'GET mention stats chart',
      capability: Capability.MentionsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/mentions/stats.svg?bucket=1h`,
    },
    {
      name: 'POST listening inbound-token',
      capability: Capability.ListeningManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/listening/inbound-tokens`,
      body: () => ({ name: 'From the matrix' }),
    },
    {
      name: 'GET listening watch',
      capability: Capability.MentionsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/listening/watch`,
    },
    {
      name: 'PUT listening watch',
      capability: Capability.ListeningManage,
      method: 'PUT',
      ok: 200,
      path: async (ws) => `${base(ws)}/listening/watch`,
      body: () => ({ action: 'notify' }),
    },
    {
      name: 'POST campaign',
      capability: Capability.CampaignsManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/campaigns`,
      body: () => ({ name: `Matrix ${++campaigns}` }),
    },
    {
      name: 'GET campaigns',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/campaigns`,
    },
    {
      name: 'GET campaign',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/campaigns/${await freshCampaign(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/campaigns/${await freshCampaign(other)}`,
    },
    ...(['submit', 'cancel'] as const).map((action): Row => ({
      name: `POST campaign ${action}`,
      capability: action === 'submit' ? Capability.PostsWrite : Capability.PostsCancel,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${(await campaignWithPost(ws)).path}/${action}`,
      foreignPath: async (ws, other) => `${base(ws)}/campaigns/${await freshCampaign(other)}/${action}`,
    })),
    {
      name: 'POST campaign approvals',
      capability: Capability.PostsApprove,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/campaigns/${await freshCampaign(ws)}/approvals`,
      body: () => ({ decision: 'approve', versions: { '00000000-0000-4000-8000-000000000000': 1 } }),
      foreignPath: async (ws, other) => `${base(ws)}/campaigns/${await freshCampaign(other)}/approvals`,
    },
    ...(['pause', 'resume'] as const).map((action): Row => ({
      name: `POST campaign ${action}`,
      capability: Capability.PublishingPause,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/campaigns/${await freshCampaign(ws)}/${action}`,
      body: () => ({ reason: 'From the matrix' }),
      foreignPath: async (ws, other) => `${base(ws)}/campaigns/${await freshCampaign(other)}/${action}`,
    })),
    {
      name: 'POST campaign variants',
      capability: Capability.PostsWrite,
      method: 'POST',
      ok: 200,
      path: async (ws) => {
        const { path, postId } = await campaignWithPost(ws);
        variantSource.set(path, postId);
        return `${path}/variants`;
      },
      body: (ws) => ({ from: [...variantSource.values()].at(-1), channelIds: [ws.channelId] }),
      // The agency does not see the owner's post it would copy.
      override: { contributor: 400, 'API key (contributor)': 400 },
      foreignPath: async (ws, other) =>
        (await campaignWithPost(other)).path.replace(base(other), base(ws)) + '/variants',
    },
    {
      name: 'PUT member delegation',
      capability: Capability.MembersRead,
      method: 'PUT',
      ok: 200,
      path: async (ws) => `${base(ws)}/members/${await activeMember(ws)}/delegation`,
      body: delegationBody,
      // Someone else's stand-in is set by an owner or admin only.
      override: NOT_FOR_OTHERS,
      foreignPath: async (ws, other) => `${base(ws)}/members/${await activeMember(other)}/delegation`,
    },
    {
      name: 'GET member delegation',
      capability: Capability.MembersRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/members/${await delegatingMember(ws)}/delegation`,
      foreignPath: async (ws, other) => `${base(ws)}/members/${await delegatingMember(other)}/delegation`,
    },
    {
      name: 'DELETE member delegation',
      capability: Capability.MembersRead,
      method: 'DELETE',
      ok: 204,
      path: async (ws) => `${base(ws)}/members/${await delegatingMember(ws)}/delegation`,
      override: NOT_FOR_OTHERS,
      foreignPath: async (ws, other) => `${base(ws)}/members/${await delegatingMember(other)}/delegation`,
    },
    {
      name: 'GET api-keys',
      capability: Capability.ApiKeysManage,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/api-keys`,
    },
    {
      name: 'POST api-key',
      capability: Capability.ApiKeysManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/api-keys`,
      body: () => ({ name: 'k', role: 'contributor' }),
    },
    {
      name: 'DELETE api-key',
      capability: Capability.ApiKeysManage,
      method: 'DELETE',
      ok: 204,
      path: async (ws) => `${base(ws)}/api-keys/${await freshKey(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/api-keys/${await freshKey(other)}`,
    },
    {
      name: 'GET channels',
      capability: Capability.ChannelsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/channels`,
    },
    {
      name: 'POST channel',
      capability: Capability.ChannelsManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/channels`,
      body: () => ({ name: 'c', network: 'x', publisher: { kind: 'log' } }),
    },
    {
      name: 'GET channel',
      capability: Capability.ChannelsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/channels/${ws.channelId}`,
      foreignPath: async (ws, other) => `${base(ws)}/channels/${other.channelId}`,
    },
    {
      name: 'POST channel check',
      capability: Capability.ChannelsManage,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/channels/${ws.channelId}/check`,
      foreignPath: async (ws, other) => `${base(ws)}/channels/${other.channelId}/check`,
    },
    {
      name: 'POST channels connect mastodon',
      capability: Capability.ChannelsManage,
      method: 'POST',
      // Nothing listens there: the capability lets owners and admins in, the instance's absence says no.
      ok: 400,
      path: async (ws) => `${base(ws)}/channels/connect/mastodon`,
      body: () => ({ instanceUrl: 'http://127.0.0.1:9', name: 'm' }),
    },
    {
      name: 'POST post',
      capability: Capability.PostsWrite,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/posts`,
      body: (ws) => ({ channelId: ws.channelId, text: 'hi', scheduledAt: inMinutes(60) }),
    },
    {
      name: 'GET posts',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/posts`,
    },
    {
      name: 'GET post',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      override: NOT_THEIRS,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}`,
    },
    {
      name: 'PATCH post',
      capability: Capability.PostsWrite,
      method: 'PATCH',
      ok: 200,
      override: NOT_THEIRS,
      headers: { 'if-match': '"1"' },
      body: () => ({ text: 'edited' }),
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}`,
    },
    {
      name: 'POST post cancel',
      capability: Capability.PostsCancel,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/cancel`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/cancel`,
    },
    {
      name: 'GET post history',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      override: NOT_THEIRS,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/history`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/history`,
    },
    {
      name: 'GET calendar',
      capability: Capability.CalendarRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/calendar?from=2030-01-01&to=2030-01-31`,
    },
    {
      name: 'POST calendar-feed',
      capability: Capability.CalendarFeedsManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/calendar-feeds`,
    },
    {
      name: 'GET calendar-feeds',
      capability: Capability.CalendarFeedsManage,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/calendar-feeds`,
    },
    {
      name: 'DELETE calendar-feed',
      capability: Capability.CalendarFeedsManage,
      method: 'DELETE',
      ok: 204,
      path: async (ws) => `${base(ws)}/calendar-feeds/${await freshFeed(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/calendar-feeds/${await freshFeed(other)}`,
    },
    {
      name: 'GET workflows',
      capability: Capability.WorkflowsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/workflows`,
    },
    {
      name: 'POST workflow',
      capability: Capability.WorkflowsManage,
      method: 'POST',
      ok: 201,
      path: async (ws) => `${base(ws)}/workflows`,
      body: workflowBody,
    },
    {
      name: 'GET workflow',
      capability: Capability.WorkflowsRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/workflows/${ws.workflowId}`,
      foreignPath: async (ws, other) => `${base(ws)}/workflows/${other.workflowId}`,
    },
    {
      name: 'PUT workflow',
      capability: Capability.WorkflowsManage,
      method: 'PUT',
      ok: 200,
      body: () => ({ ...workflowBody(), isDefault: true }),
      path: async (ws) => `${base(ws)}/workflows/${ws.workflowId}`,
      foreignPath: async (ws, other) => `${base(ws)}/workflows/${other.workflowId}`,
    },
    {
      name: 'POST post submit',
      capability: Capability.PostsWrite,
      method: 'POST',
      ok: 200,
      override: NOT_THEIRS,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/submit`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/submit`,
    },
    {
      name: 'POST post approval',
      capability: Capability.PostsApprove,
      method: 'POST',
      ok: 201,
      // The owner wrote the post (no self-approval); an API key is not a person.
      override: { owner: 403, 'API key (editor)': 403 },
      body: () => ({ decision: 'approve', version: 1 }),
      path: async (ws) => `${base(ws)}/posts/${await freshSubmitted(ws)}/approvals`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshSubmitted(other)}/approvals`,
    },
    {
      name: 'GET post preview',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      override: NOT_THEIRS,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/preview`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/preview`,
    },
    {
      name: 'GET post revisions',
      capability: Capability.PostsRead,
      method: 'GET',
      ok: 200,
      override: NOT_THEIRS,
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/revisions`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/revisions`,
    },
    {
      name: 'GET audit',
      capability: Capability.AuditRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/audit`,
    },
    {
      name: 'POST post takedown',
      capability: Capability.PostsTakedown,
      method: 'POST',
      // Not published: the capability lets owners and admins in, the state machine says no.
      ok: 409,
      body: () => ({ reason: 'other' }),
      path: async (ws) => `${base(ws)}/posts/${await freshPost(ws)}/takedown`,
      foreignPath: async (ws, other) => `${base(ws)}/posts/${await freshPost(other)}/takedown`,
    },
    {
      name: 'GET audit export',
      capability: Capability.AuditRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/audit/export`,
    },
    {
      name: 'POST webhook',
      capability: Capability.WebhooksManage,
      method: 'POST',
      ok: 201,
      body: () => ({
        url: 'http://127.0.0.1:9/hook',
        events: ['post.published'],
        secret: 'matrix-secret-0123456789',
      }),
      path: async (ws) => `${base(ws)}/webhooks`,
    },
    {
      name: 'GET webhooks',
      capability: Capability.WebhooksManage,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/webhooks`,
    },
    {
      name: 'DELETE webhook',
      capability: Capability.WebhooksManage,
      method: 'DELETE',
      ok: 204,
      path: async (ws) => `${base(ws)}/webhooks/${await freshWebhook(ws)}`,
      foreignPath: async (ws, other) => `${base(ws)}/webhooks/${await freshWebhook(other)}`,
    },
    {
      name: 'GET content-rules',
      capability: Capability.ContentRulesRead,
      method: 'GET',
      ok: 200,
      path: async (ws) => `${base(ws)}/content-rules`,
    },
    {
      name: 'PUT content-rules',
      capability: Capability.ContentRulesManage,
      method: 'PUT',
      ok: 200,
      body: () => ({ blockedTerms: [], blockedPatterns: [], allowedLinkDomains: [], maxLength: {} }),
      path: async (ws) => `${base(ws)}/content-rules`,
    },
    {
      name: 'POST pause',
      capability: Capability.PublishingPause,
      method: 'POST',
      ok: 200,
      body: () => ({ reason: 'matrix' }),
      path: async (ws) => `${base(ws)}/pause`,
    },
    {
      name: 'POST resume',
      capability: Capability.PublishingPause,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/resume`,
    },
    {
      name: 'POST channel pause',
      capability: Capability.PublishingPause,
      method: 'POST',
      ok: 200,
      body: () => ({ reason: 'matrix' }),
      path: async (ws) => `${base(ws)}/channels/${ws.channelId}/pause`,
      foreignPath: async (ws, other) => `${base(ws)}/channels/${other.channelId}/pause`,
    },
    {
      name: 'POST channel resume',
      capability: Capability.PublishingPause,
      method: 'POST',
      ok: 200,
      path: async (ws) => `${base(ws)}/channels/${ws.channelId}/resume`,
      foreignPath: async (ws, other) => `${base(ws)}/channels/${other.channelId}/resume`,
    },
  ];

  beforeAll(async () => {
    api = await startApi();
    db = new Client({ connectionString: api.config.databaseUrl });
    await db.connect();
    const ownerA = await signUp(api.http, { workspaceName: 'A' });
    const ownerB = await signUp(api.http, { workspaceName: 'B' });
    const channelOf = async (o: SignedUp) => (await channel(api.http, o.token, o.workspaceId)).id;
    const workflowOf = async (o: SignedUp) =>
      (
        await api.http.post(
          `/v1/workspaces/${o.workspaceId}/workflows`,
          { ...workflowBody(), isDefault: true },
          { token: o.token },
        )
      ).body.id as string;
    const standIn = async (o: SignedUp) =>
      (await memberWithRole(api.http, o.token, o.workspaceId, 'approver')).userId;
    a = {
      id: ownerA.workspaceId,
      owner: ownerA,
      channelId: await channelOf(ownerA),
      workflowId: '',
      standInId: await standIn(ownerA),
    };
    b = {
      id: ownerB.workspaceId,
      owner: ownerB,
      channelId: await channelOf(ownerB),
      workflowId: '',
      standInId: await standIn(ownerB),
    };

    callers = [{ label: 'owner', role: 'owner', token: ownerA.token }];
    for (const role of ['admin', 'editor', 'approver', 'contributor', 'reviewer'] as const) {
      callers.push({
        label: role,
        role,
        token: (await memberWithRole(api.http, ownerA.token, a.id, role)).token,
      });
    }
    for (const role of ['editor', 'contributor'] as const) {
      callers.push({
        label: `API key (${role})`,
        role,
        token: (await apiKey(api.http, ownerA.token, a.id, role)).key,
      });
    }
    // After the members exist: the workflow's approver roles must be held by someone.
    a.workflowId = await workflowOf(ownerA);
    b.workflowId = await workflowOf(ownerB);
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const call = (row: Row, ws: Ws, path: string, token: string) =>
    api.http.request(row.method, path, { token, body: row.body?.(ws), headers: row.headers });

  describe.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    it('gives each caller on its own workspace exactly what its role allows', async () => {
      const got: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const caller of callers) {
        got[caller.label] = (await call(row, a, await row.path(a), caller.token)).status;
        const allowed = ROLE_CAPABILITIES[caller.role].has(row.capability);
        expected[caller.label] = allowed ? (row.override?.[caller.label] ?? row.ok) : 403;
      }
      expect(got).toEqual(expected);
    });

    it('answers 404 to every caller of A asking for workspace B', async () => {
      const got: Record<string, number> = {};
      for (const caller of callers)
        got[caller.label] = (await call(row, b, await row.path(b), caller.token)).status;
      expect(got).toEqual(Object.fromEntries(callers.map((c) => [c.label, 404])));
    });

    if (row.foreignPath) {
      it("answers 404 for B's resource addressed through A", async () => {
        const path = await row.foreignPath!(a, b);
        expect((await call(row, a, path, a.owner.token)).status).toBe(404);
      });
    }
  });

  // Run last, and not by owners or admins: a lockdown of A would end the other callers' sessions.
  it('POST lockdown: 403 for every role but owner and admin, 404 on workspace B (success: publishing e2e)', async () => {
    const got: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const caller of callers.filter((c) => !ROLE_CAPABILITIES[c.role].has(Capability.PublishingPause))) {
      got[caller.label] = (
        await api.http.post(`${base(a)}/lockdown`, undefined, { token: caller.token })
      ).status;
      expected[caller.label] = 403;
    }
    for (const caller of callers) {
      got[`${caller.label} on B`] = (
        await api.http.post(`${base(b)}/lockdown`, undefined, { token: caller.token })
      ).status;
      expected[`${caller.label} on B`] = 404;
    }
    expect(got).toEqual(expected);
  });

  it('answers 404, not 400, for a workspace id that is not an id', async () => {
    expect((await api.http.get('/v1/workspaces/not-a-uuid', { token: a.owner.token })).status).toBe(404);
  });
});
