import { authorshipOf, isAuthor, mayActOnPost, personOf, type Actor } from './actor';

describe(mayActOnPost.name, () => {
  const user = (role: Actor['role'], userId = 'u1'): Actor => ({
    kind: 'user',
    userId,
    workspaceId: 'w',
    role,
  });
  const key: Actor = {
    kind: 'api-key',
    apiKeyId: 'k1',
    onBehalfOf: 'u9',
    workspaceId: 'w',
    role: 'contributor',
  };
  const byU1 = { authorUserId: 'u1', authorApiKeyId: null };
  const byK1 = { authorUserId: 'u9', authorApiKeyId: 'k1' };

  it('lets a contributor act on its own posts only', () => {
    expect(mayActOnPost(user('contributor'), byU1)).toBe(true);
    expect(mayActOnPost(user('contributor', 'u2'), byU1)).toBe(false);
    expect(mayActOnPost(key, byK1)).toBe(true);
    expect(mayActOnPost(key, byU1)).toBe(false);
  });

  it('lets editors and above act on every post', () => {
    expect(mayActOnPost(user('editor', 'u2'), byK1)).toBe(true);
    expect(mayActOnPost({ ...key, role: 'editor' }, byU1)).toBe(true);
  });

  it('does not confuse a user with an API key of the same id', () => {
    expect(isAuthor(user('editor', 'k1'), byK1)).toBe(false);
  });
});

describe(authorshipOf.name, () => {
  it("makes a key's creator the author of what the key writes", () => {
    const key: Actor = {
      kind: 'api-key',
      apiKeyId: 'k1',
      onBehalfOf: 'u9',
      workspaceId: 'w',
      role: 'editor',
    };
    expect(authorshipOf(key)).toEqual({ authorUserId: 'u9', authorApiKeyId: 'k1' });
    expect(personOf(key)).toBe('u9');
    expect(authorshipOf({ kind: 'user', userId: 'u1', workspaceId: 'w', role: 'editor' })).toEqual({
      authorUserId: 'u1',
      authorApiKeyId: null,
    });
  });
});
