// A real OpenID provider (oidc-provider) for the single sign-on tests, in its own
// process (it is ESM and wants Node 22; it runs on 20 with a warning). Logs in, with
// no form, whoever the authorization request names as login_hint; an account whose
// name starts with "unverified" has an unverified e-mail, one starting with "mfa"
// signed in with a second factor. Prints "listening <port>" when ready.
import Provider from 'oidc-provider';

const { IDP_PORT = '0', CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;

async function main() {
  const { createServer } = await import('node:http');
  const server = createServer();
  await new Promise((resolve) => server.listen(Number(IDP_PORT), '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['countersign-test-idp'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: id.replace(/^(unverified|mfa)-/, ''),
        email_verified: !id.startsWith('unverified'),
        name: 'From the IdP',
      }),
    }),
  });
  provider.proxy = false;
  provider.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/interaction/')) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = details.params.login_hint;
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    ctx.respond = false;
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      {
        login: { accountId, amr: accountId.startsWith('mfa') ? ['pwd', 'mfa'] : ['pwd'] },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
  });
  server.on('request', provider.callback());
  process.stdout.write(`listening ${server.address().port}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
