// OAuth 2.0 authorization server peer for loopback integration tests only, built on
// panva's `oidc-provider` (an OpenID-certified implementation). In memory.
// One confidential client (client_secret_basic, also client_secret_post);
// grants: client_credentials, authorization_code (+ optional PKCE S256),
// refresh_token. The user login/consent step is completed automatically as
// user OAUTH_ACCOUNT, so /auth answers with 303 redirects only.
//   usage: node server.mjs PORT [CLIENT_ID] [CLIENT_SECRET]
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const env = process.env;
const port = Number(process.argv[2] || 18090);
const clientId = process.argv[3] || 'test-client';
const clientSecret = process.argv[4] || 'test-secret';
const host = '127.0.0.1';
const issuer = `http://${host}:${port}`;
const RESOURCE = env.OAUTH_RESOURCE || 'urn:peers:scim';
const API_SCOPES = (env.OAUTH_SCOPES || 'scim users:read users:write identity:scim.org')
  .split(/\s+/).filter(Boolean);
const ACCOUNT = env.OAUTH_ACCOUNT || 'test-user';
const TTL = Number(env.OAUTH_ACCESS_TTL || 3600);
const REQUIRE_PKCE = env.OAUTH_PKCE_REQUIRED === '1';
const REDIRECT_URIS = (env.OAUTH_REDIRECT_URIS || 'http://127.0.0.1/callback http://localhost/callback')
  .split(/\s+/).filter(Boolean);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'peers-rsa', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  jwks: { keys: [jwk] },
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    // native: a loopback redirect URI matches on any port (RFC 8252 section 7.3)
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: REDIRECT_URIS,
  }],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  scopes: ['openid', 'offline_access', ...API_SCOPES],
  pkce: { required: () => REQUIRE_PKCE },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: API_SCOPES.join(' '),
        accessTokenFormat: 'opaque',
        accessTokenTTL: TTL,
      }),
    },
  },
  // Always issue a refresh token to a client allowed the refresh_token grant.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  ttl: {
    AccessToken: TTL, ClientCredentials: TTL, AuthorizationCode: 60, IdToken: 3600,
    RefreshToken: 86400, Grant: 86400, Interaction: 600, Session: 86400,
  },
  cookies: { keys: ['peers-test-cookie-key'] },
});

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  // Auto-complete login and consent for the test user.
  try {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session } = details;
    let result;
    if (prompt.name === 'login') {
      result = { login: { accountId: ACCOUNT } };
    } else {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const d = prompt.details || {};
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes || {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  } catch (e) {
    res.statusCode = 400;
    res.end(String(e && e.message));
  }
});
server.listen(port, host, () => {
  console.log(`OAuth 2.0 peer (oidc-provider) on ${issuer} client_id=${clientId}`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive clients must not hold the exit up
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
