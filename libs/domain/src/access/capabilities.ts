import type { Role } from './roles';

/** Everything a route can require. One name per thing a caller may do. */
export enum Capability {
  WorkspaceRead = 'workspace.read',
  WorkspaceManage = 'workspace.manage',
  MembersRead = 'members.read',
  MembersManage = 'members.manage',
  ApiKeysManage = 'api-keys.manage',
  ChannelsRead = 'channels.read',
  ChannelsManage = 'channels.manage',
  WorkflowsRead = 'workflows.read',
  WorkflowsManage = 'workflows.manage',
  PostsRead = 'posts.read',
  PostsWrite = 'posts.write',
  PostsCancel = 'posts.cancel',
  PostsApprove = 'posts.approve',
  PostsComment = 'posts.comment',
  CampaignsManage = 'campaigns.manage',
  MentionsRead = 'mentions.read',
  MentionsHandle = 'mentions.handle',
  ListeningManage = 'listening.manage',
  PostsPublishNow = 'posts.publish-now',
  PostsTakedown = 'posts.takedown',
  CalendarRead = 'calendar.read',
  CalendarFeedsManage = 'calendar-feeds.manage',
  ContentRulesRead = 'content-rules.read',
  ContentRulesManage = 'content-rules.manage',
  PublishingPause = 'publishing.pause',
  WebhooksManage = 'webhooks.manage',
  AuditRead = 'audit.read',
}

const C = Capability;
const ALL = Object.values(Capability);

/** Reading the workspace's work, as every signed-in member may. */
const READ = [
  C.WorkspaceRead,
  C.ChannelsRead,
  C.WorkflowsRead,
  C.PostsRead,
  C.CalendarRead,
  C.ContentRulesRead,
];

/**
 * The capability matrix of DESIGN.md, written down once. Owners and admins may do
 * everything; the differences between them (only an owner grants or removes the
 * owner role) are rules of the members service, not capabilities.
 * `contributor` reads and writes its own posts only: the ownership check is
 * `maySeeAllPosts`/`mayActOnPost`, the matrix only lets it in the door.
 * `reviewer` acts through e-mail links alone, so it has nothing here.
 */
export const ROLE_CAPABILITIES: Readonly<Record<Role, ReadonlySet<Capability>>> = {
  owner: new Set(ALL),
  admin: new Set(ALL),
  editor: new Set([
    ...READ,
    C.MembersRead,
    C.PostsWrite,
    C.PostsCancel,
    C.PostsApprove,
    C.PostsComment,
    C.CampaignsManage,
    C.MentionsRead,
    C.MentionsHandle,
    C.CalendarFeedsManage,
  ]),
  approver: new Set([...READ, C.MembersRead, C.PostsApprove, C.PostsComment, C.MentionsRead]),
  contributor: new Set([...READ, C.PostsWrite, C.PostsComment]),
  reviewer: new Set(),
};

/** True when `role` grants `capability`. */
export function roleCan(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].has(capability);
}
