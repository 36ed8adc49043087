import { Capability, ROLE_CAPABILITIES, roleCan } from './capabilities';
import { ROLES, type Role } from './roles';

describe('ROLE_CAPABILITIES', () => {
  const holders = (capability: Capability): Role[] => ROLES.filter((r) => roleCan(r, capability));

  it('lets owners and admins do everything', () => {
    for (const c of Object.values(Capability)) {
      expect(roleCan('owner', c)).toBe(true);
      expect(roleCan('admin', c)).toBe(true);
    }
  });

  it('gives a reviewer nothing through the API (it acts only from e-mail links)', () => {
    expect(ROLE_CAPABILITIES.reviewer.size).toBe(0);
  });

  it('keeps configuration, keys, members, pausing and publishing to owners and admins', () => {
    for (const c of [
      Capability.MembersManage,
      Capability.ApiKeysManage,
      Capability.ChannelsManage,
      Capability.WorkflowsManage,
      Capability.ContentRulesManage,
      Capability.PublishingPause,
      Capability.PostsPublishNow,
      Capability.PostsTakedown,
      Capability.WebhooksManage,
      Capability.AuditRead,
    ]) {
      expect(holders(c)).toEqual(['owner', 'admin']);
    }
  });

  it('never lets a contributor approve, cancel, or see the member list', () => {
    for (const c of [Capability.PostsApprove, Capability.PostsCancel, Capability.MembersRead]) {
      expect(roleCan('contributor', c)).toBe(false);
    }
    expect(roleCan('contributor', Capability.PostsWrite)).toBe(true);
  });

  it('lets approvers approve and read but not write posts', () => {
    expect(roleCan('approver', Capability.PostsApprove)).toBe(true);
    expect(roleCan('approver', Capability.PostsWrite)).toBe(false);
  });
});
