// OAuth 2.0 authorization server peer for loopback integration tests only, built on
// panva's `oidc-provider` (an OpenID-certified implementation). In memory.
// One confidential client (client_secret_basic, also client_secret_post);
// grants: client_credentials, authorization_code (+ optional PKCE S256),
// refresh_token, and password (RFC 6749 section 4.3, registered below through
// provider.registerGrantType; users from OAUTH_PASSWORD_USERS). The user
// login/consent step is completed automatically as user OAUTH_ACCOUNT, so /auth
// answers with 303 redirects only.
//   usage: node server.mjs PORT [CLIENT_ID] [CLIENT_SECRET]
import http from 'node:http';
import { createHash, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

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
// Resource owners for grant_type=password: space-separated user:password pairs (the user
// name ends at the first ':', so a password may contain ':').
const PASSWORD_USERS = new Map();
for (const pair of (env.OAUTH_PASSWORD_USERS ?? 'admin@example.com:admin-password').split(/\s+/)) {
  const colon = pair.indexOf(':');
  if (colon > 0) PASSWORD_USERS.set(pair.slice(0, colon), pair.slice(colon + 1));
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'peers-rsa', use: 'sig', alg: 'RS256' };

// Shared by the configuration and the password grant handler below.
const defaultResource = () => RESOURCE;
const getResourceServerInfo = () => ({
  scope: API_SCOPES.join(' '),
  accessTokenFormat: 'opaque',
  accessTokenTTL: TTL,
});
// Always issue a refresh token to a client allowed the refresh_token grant.
const issueRefreshToken = async (_ctx, client) => client.grantTypeAllowed('refresh_token');
const findAccount = async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) });

const provider = new Provider(issuer, {
  jwks: { keys: [jwk] },
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    // native: a loopback redirect URI matches on any port (RFC 8252 section 7.3)
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
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
      defaultResource,
      useGrantedResource: () => true,
      getResourceServerInfo,
    },
  },
  issueRefreshToken,
  findAccount,
  ttl: {
    AccessToken: TTL, ClientCredentials: TTL, AuthorizationCode: 60, IdToken: 3600,
    RefreshToken: 86400, Grant: 86400, Interaction: 600, Session: 86400,
  },
  cookies: { keys: ['peers-test-cookie-key'] },
});

// OAuth 2.0 Resource Owner Password Credentials grant (RFC 6749 section 4.3), through
// oidc-provider's extension point for custom grants. By the time the handler runs, the token
// endpoint has authenticated the client (ctx.oidc.client), checked that its grant_types allow
// 'password', rejected duplicate parameters and kept only the ones registered here. The handler
// follows lib/actions/grants/client_credentials.js for resource and scope (one resource
// indicator, defaulting to OAUTH_RESOURCE; requested scopes outside it are dropped) and
// authorization_code.js for the rest: a Grant for (user, client) backs the tokens, so
// introspection reports them active and the refresh_token grant accepts the refresh token.
const sha256 = (value) => createHash('sha256').update(String(value)).digest();
function passwordMatches(username, password) {
  const expected = PASSWORD_USERS.get(username);
  // Compare digests in constant time; an unknown user costs the same as a wrong password.
  const ok = timingSafeEqual(sha256(expected ?? ''), sha256(password));
  return ok && expected !== undefined;
}

async function passwordGrant(ctx) {
  const { params, client } = ctx.oidc;
  const missing = ['username', 'password'].filter((name) => params[name] === undefined);
  if (missing.length) {
    throw new errors.InvalidRequest(`missing required parameter${missing.length > 1 ? 's' : ''} '${missing.join("' and '")}'`);
  }
  if (!passwordMatches(params.username, params.password)) {
    throw new errors.InvalidGrant('invalid resource owner credentials');
  }
  const account = await findAccount(ctx, params.username);
  ctx.oidc.entity('Account', account);

  let resource = params.resource ?? await defaultResource(ctx, client);
  if (Array.isArray(resource)) {
    if (resource.length !== 1) {
      throw new errors.InvalidTarget('only a single resource indicator value is supported for this grant type');
    }
    [resource] = resource;
  }
  const href = URL.parse(resource)?.href;
  if (!href) throw new errors.InvalidTarget('resource indicator must be an absolute URI');
  if (href.includes('#')) throw new errors.InvalidTarget('resource indicator must not contain a fragment component');
  const resourceServer = new provider.ResourceServer(resource, await getResourceServerInfo(ctx, resource, client));
  const scope = [...ctx.oidc.requestParamScopes].filter(Set.prototype.has.bind(resourceServer.scopes)).join(' ');

  const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
  grant.addResourceScope(resource, scope);
  const grantId = await grant.save();
  ctx.oidc.entity('Grant', grant);

  const at = new provider.AccessToken({ accountId: account.accountId, client, grantId, gty: 'password' });
  at.resourceServer = resourceServer;
  at.scope = grant.getResourceScopeFiltered(resource, scope.split(' ')) || undefined;
  ctx.oidc.entity('AccessToken', at);
  const accessToken = await at.save();

  let refreshToken;
  if (await issueRefreshToken(ctx, client, at)) {
    const rt = new provider.RefreshToken({
      accountId: account.accountId, client, grantId, gty: 'password', resource, rotations: 0, scope: scope || undefined,
    });
    ctx.oidc.entity('RefreshToken', rt);
    refreshToken = await rt.save();
  }

  ctx.body = {
    access_token: accessToken,
    expires_in: at.expiration,
    refresh_token: refreshToken,
    scope: at.scope || undefined,
    token_type: at.tokenType,
  };
}
// 'resource' may repeat (RFC 8707), as for the built-in grants.
provider.registerGrantType('password', passwordGrant, ['username', 'password', 'scope', 'resource'], ['resource']);

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
