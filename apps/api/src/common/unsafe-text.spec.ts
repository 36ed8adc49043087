import { unsafeTextFields } from './unsafe-text';

describe(unsafeTextFields.name, () => {
  it('names every field holding a NUL or a lone surrogate, and no other', () => {
    const fields = unsafeTextFields({
      ok: 'emoji 👍 and accents é',
      text: 'a\u0000b',
      stages: [{ name: 'fine' }, { name: '\ud800' }],
      tail: 'x\udc00',
      n: 3,
      nested: { deep: ['ok', 'also\u0000'] },
    }).map((f) => f.field);
    expect(fields).toEqual(['text', 'stages[1].name', 'tail', 'nested.deep[1]']);
  });

  it('names a bad key, and a bad body that is one string', () => {
    expect(unsafeTextFields({ 'a\u0000': 1 })[0].field).toBe('a?');
    expect(unsafeTextFields('\u0000')[0].field).toBe('body');
    expect(unsafeTextFields(undefined)).toEqual([]);
  });
});
