import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  AdminCreateUserCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '../../local/cognito.ts';
import { describeLocalResources, type LocalResources } from '../../local/template.ts';
import { signInStack, synthesize } from './cdk-fixtures.ts';

const region = 'eu-north-1';
/** The user's authenticator app: the TOTP generator cognito-local verifies codes with. */
const authenticatorApp = createRequire(import.meta.url)('cognito-local/lib/services/totp.js') as {
  generate(secret: string): string;
};
const password = 'Rigtig-Lang-Adgang-1!';

let resources: LocalResources;
let cognito: LocalCognito;
let client: CognitoIdentityProviderClient;

beforeAll(async () => {
  resources = describeLocalResources(synthesize(signInStack));
  cognito = await startLocalCognito({
    region,
    userPools: Object.values(resources.userPools),
    clients: Object.values(resources.userPoolClients),
    groups: resources.userPoolGroups,
  });
  client = new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await cognito.addUser({
    username: 'kolding-sagsbehandler',
    password,
    groups: ['caseworker'],
    // `name` is in the schema but not among the client's ReadAttributes: Cognito leaves it out of the token.
    attributes: { 'custom:municipality': '621', name: 'Karen Jensen' },
  });
});

afterAll(async () => {
  client?.destroy();
  await cognito?.close();
});

/** A verifier configured as the authorizer is on AWS, with the JWKS fetched from the local endpoint. */
function verifierFor(userPoolId: string, clientId: string) {
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      async fetch(uri: string) {
        const response = await fetch(new URL(new URL(uri).pathname, cognito.endpoint));
        if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
        return response.arrayBuffer();
      },
    },
  });
  return CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' }, { jwksCache });
}

function signIn(username: string, secret: string) {
  return client.send(
    new InitiateAuthCommand({
      ClientId: cognito.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: secret },
    }),
  );
}

describe('startLocalCognito', () => {
  it('uses the pool and client ids the template refers to, in the shape Cognito gives them', () => {
    // Prepare
    const [pool] = Object.values(resources.userPools);
    const [appClient] = Object.values(resources.userPoolClients);

    // Act
    const ids = { userPoolId: cognito.userPoolId, clientId: cognito.clientId };

    // Assess
    expect(ids).toEqual({ userPoolId: pool?.userPoolId, clientId: appClient?.clientId });
    expect(ids.userPoolId).toMatch(/^[a-z]{2}-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$/);
    expect(existsSync(path.resolve('.cognito'))).toBe(false);
  });

  it('signs a seeded user in with an ID token a Cognito verifier accepts, holding groups and municipality', async () => {
    // Prepare
    const verifier = verifierFor(cognito.userPoolId, cognito.clientId);

    // Act
    const answer = await signIn('kolding-sagsbehandler', password);
    const claims = await verifier.verify(answer.AuthenticationResult?.IdToken ?? '');

    // Assess
    expect(claims).toMatchObject({
      iss: `https://cognito-idp.${region}.amazonaws.com/${cognito.userPoolId}`,
      aud: cognito.clientId,
      token_use: 'id',
      'cognito:username': 'kolding-sagsbehandler',
      'cognito:groups': ['caseworker'],
      'custom:municipality': '621',
    });
    expect(claims).not.toHaveProperty('name');
    // The template's IdTokenValidity: 60 minutes.
    expect(claims.exp - claims.iat).toBe(3600);
    expect(answer.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
  });

  it('serves the JWKS under the pool id, with the key that signed the token', async () => {
    // Prepare
    const answer = await signIn('kolding-sagsbehandler', password);
    const { header } = decomposeUnverifiedJwt(answer.AuthenticationResult?.IdToken ?? '');

    // Act
    const response = await fetch(`${cognito.endpoint}/${cognito.userPoolId}/.well-known/jwks.json`);
    const jwks = (await response.json()) as { keys: { kid: string; kty: string }[] };

    // Assess
    expect(response.status).toBe(200);
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: header.kid, kty: 'RSA' })]);
  });

  it('refreshes with the refresh token until it is revoked', async () => {
    // Prepare
    const first = await signIn('kolding-sagsbehandler', password);
    const refreshToken = first.AuthenticationResult?.RefreshToken ?? '';
    const refresh = () =>
      client.send(
        new InitiateAuthCommand({
          ClientId: cognito.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );

    // Act
    const refreshed = await refresh();
    await client.send(new RevokeTokenCommand({ ClientId: cognito.clientId, Token: refreshToken }));
    const afterRevoke = await refresh().then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assess
    const claims = await verifierFor(cognito.userPoolId, cognito.clientId).verify(
      refreshed.AuthenticationResult?.IdToken ?? '',
    );
    expect(claims['cognito:groups']).toEqual(['caseworker']);
    expect(afterRevoke).toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('answers a wrong password and an unknown user as Cognito does, and matches usernames without case', async () => {
    // Prepare
    const failureOf = (attempt: Promise<unknown>) =>
      attempt.then(
        () => undefined,
        (error: unknown) => error,
      );

    // Act
    const wrongPassword = await failureOf(signIn('kolding-sagsbehandler', 'forkert-adgangskode'));
    const unknownUser = await failureOf(signIn('ingen-bruger', password));
    const otherCase = await signIn('Kolding-Sagsbehandler', password);

    // Assess
    expect(wrongPassword).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(unknownUser).toMatchObject({ name: 'NotAuthorizedException' });
    expect(otherCase.AuthenticationResult?.IdToken).toBeDefined();
  });

  it('refuses a token for another pool or client', async () => {
    // Prepare
    const answer = await signIn('kolding-sagsbehandler', password);
    const token = answer.AuthenticationResult?.IdToken ?? '';

    // Act
    const otherPool = await verifierFor(`${region}_AnotherPool`, cognito.clientId)
      .verify(token)
      .catch(String);
    const otherClient = await verifierFor(cognito.userPoolId, 'another-client').verify(token).catch(String);

    // Assess
    expect(otherPool).toMatch(/issuer not (allowed|configured)/i);
    expect(otherClient).toMatch(/"audience"\) not allowed/);
  });

  it('asks for the TOTP code once it is set up, and the tokens it then gives can be refreshed', async () => {
    // Prepare
    await cognito.addUser({
      username: 'kolding-oekonomi',
      password,
      groups: ['finance'],
      attributes: { 'custom:municipality': '621' },
    });
    const first = await signIn('kolding-oekonomi', password);
    const AccessToken = first.AuthenticationResult?.AccessToken ?? '';
    const { SecretCode = '' } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    const code = () => authenticatorApp.generate(SecretCode);
    await client.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: code() }));
    await client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );

    // Act
    const challenge = await signIn('kolding-oekonomi', password);
    const answered = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: cognito.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'kolding-oekonomi', SOFTWARE_TOKEN_MFA_CODE: code() },
      }),
    );
    const refreshed = await client.send(
      new InitiateAuthCommand({
        ClientId: cognito.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: answered.AuthenticationResult?.RefreshToken ?? '' },
      }),
    );

    // Assess
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(answered.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    const claims = await verifierFor(cognito.userPoolId, cognito.clientId).verify(
      refreshed.AuthenticationResult?.IdToken ?? '',
    );
    expect(claims['cognito:groups']).toEqual(['finance']);
  });

  it('lets no user write an attribute the app client may not write, such as the municipality', async () => {
    // Prepare
    const signedIn = await signIn('kolding-sagsbehandler', password);

    // Act
    const moving = client.send(
      new UpdateUserAttributesCommand({
        AccessToken: signedIn.AuthenticationResult?.AccessToken,
        UserAttributes: [{ Name: 'custom:municipality', Value: '851' }],
      }),
    );

    // Assess: refused, and the next token still says Kolding.
    await expect(moving).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const again = await signIn('kolding-sagsbehandler', password);
    expect(
      decomposeUnverifiedJwt(again.AuthenticationResult?.IdToken ?? '').payload['custom:municipality'],
    ).toBe('621');
  });

  it('refuses a user attribute the pool schema does not have', async () => {
    // Prepare
    const request = new AdminCreateUserCommand({
      UserPoolId: cognito.userPoolId,
      Username: 'ny-bruger',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'custom:role', Value: 'programme' }],
    });

    // Act
    const creating = client.send(request);

    // Assess
    await expect(creating).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});
