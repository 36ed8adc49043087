import { readCard } from './link-card';

describe(readCard.name, () => {
  const uri = 'https://acme.example/spring';

  it('takes the Open Graph title and description, in either attribute order, entities decoded', () => {
    const html = `<html><head><title>Ignored</title>
      <meta content="Spring menu &amp; more &#8212; Acme" property="og:title">
      <meta property='og:description' content='Lattes, croissants &#x2615;'></head></html>`;
    expect(readCard(uri, html)).toEqual({
      uri,
      title: 'Spring menu & more — Acme',
      description: 'Lattes, croissants ☕',
    });
  });

  it('falls back to <title> and the description meta, then to the host', () => {
    expect(readCard(uri, '<title> Acme\n Coffee </title><meta name="description" content="Hot">')).toEqual({
      uri,
      title: 'Acme Coffee',
      description: 'Hot',
    });
    expect(readCard(uri, '')).toEqual({ uri, title: 'acme.example', description: '' });
  });
});
