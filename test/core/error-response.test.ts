import { expect } from 'chai';
import {
  AuthorizationException,
  ClaimsChallengeException,
  InvalidTokenException,
  MissingTokenException,
  TemporarilyUnavailableException,
  authErrorResponse,
  describeReason,
  errorResponse,
} from '../../src';

describe('Error responses: the core builds status, headers and body; adapters only copy them', () => {
  it('no credentials: 401 with the bare challenge', () => {
    expect(authErrorResponse(new MissingTokenException())).to.deep.equal({
      status: 401,
      headers: { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="api"' },
      body: { error: 'unauthorized', error_description: describeReason('token_missing'), reason: 'token_missing' },
    });
  });

  it('a bad token: 401 invalid_token, its description in the challenge', () => {
    const description = describeReason('token_expired');
    expect(authErrorResponse(new InvalidTokenException('token_expired'))).to.deep.equal({
      status: 401,
      headers: {
        'Cache-Control': 'no-store',
        'WWW-Authenticate': `Bearer realm="api", error="invalid_token", error_description="${description}"`,
      },
      body: { error: 'invalid_token', error_description: description, reason: 'token_expired' },
    });
  });

  it("a claims challenge: 401 insufficient_claims in Microsoft's format, the claims request base64-encoded", () => {
    const challenge = new ClaimsChallengeException(
      'auth_context_required',
      { acrs: { essential: true, value: 'c1' } },
      { realm: '', authorizationUri: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize' },
    );
    const description = describeReason('auth_context_required');
    const claims = 'eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19';
    expect(Buffer.from(claims, 'base64').toString()).to.equal(
      '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}',
    );
    expect(authErrorResponse(challenge)).to.deep.equal({
      status: 401,
      headers: {
        'Cache-Control': 'no-store',
        'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/v2.0/authorize", error="insufficient_claims", error_description="${description}", claims="${claims}"`,
      },
      body: { error: 'insufficient_claims', error_description: description, reason: 'auth_context_required' },
    });
  });

  it('a claims challenge encodes its claims when it is made, never inside the error handler', () => {
    const authority = { realm: '', authorizationUri: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize' };
    expect(() => new ClaimsChallengeException('session_revoked', { nbf: { value: 1n } }, authority)).to.throw(
      TypeError,
    );
    const made = new ClaimsChallengeException('session_revoked', { nbf: { essential: true, value: '1' } }, authority);
    expect(() => authErrorResponse(made)).to.not.throw();
  });

  it('a missing scope names the scopes; other 403s and 503s carry no challenge, a 503 its Retry-After', () => {
    const scope = authErrorResponse(new AuthorizationException('insufficient_scope', ['Files.Read', 'Files.Write']));
    expect(scope.headers['WWW-Authenticate']).to.equal(
      'Bearer realm="api", error="insufficient_scope", scope="Files.Read Files.Write"',
    );
    const groups = authErrorResponse(new AuthorizationException('insufficient_groups'));
    expect([groups.status, groups.headers]).to.deep.equal([403, { 'Cache-Control': 'no-store' }]);
    const unavailable = authErrorResponse(new TemporarilyUnavailableException('keys_unavailable', 7));
    expect([unavailable.status, unavailable.headers]).to.deep.equal([
      503,
      { 'Cache-Control': 'no-store', 'Retry-After': '7' },
    ]);
  });

  it("another framework's HTTP error: its status and a plain body; a 401 as no credentials; anything else is not ours", () => {
    expect(errorResponse(Object.assign(new Error('Bad input'), { httpCode: 400 }))).to.deep.equal({
      status: 400,
      headers: {},
      body: { error: 'request_error', error_description: 'Bad input' },
    });
    expect(errorResponse(Object.assign(new Error('secret detail'), { status: 502 }))?.body).to.deep.equal({
      error: 'server_error',
      error_description: 'The request could not be completed.',
    });
    expect(errorResponse(Object.assign(new Error('no user'), { httpCode: 401 }))).to.deep.equal(
      authErrorResponse(new MissingTokenException()),
    );
    expect(errorResponse(new Error('database down'))).to.equal(undefined);
  });
});
