import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AtomicDataStoreFactory, cognitoLocalRequire } from './cognito-store.ts';
import type { LocalUserPool, LocalUserPoolClient, LocalUserPoolGroup } from './template.ts';

/**
 * The Cognito user-pool API on one machine: `cognito-local` run in this process, holding the pools, app clients
 * and groups of the synthesized template. The handlers reach it through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`
 * and the authorizer fetches the pool's JWKS from it, so the login handler and the authorizer are the very
 * modules that run on AWS.
 *
 * cognito-local's own `createDefaultServer` keeps its data in `.cognito/` of the working directory and names
 * pools `local_…`; here each runtime gets the data folder's `cognito/` (npm start) or a fresh temporary directory,
 * written through `cognito-store.ts`, and each pool the id its `Ref` has
 * locally (`<region>_<logical id>`, Cognito's shape, which aws-jwt-verify insists on). Tokens carry Cognito's
 * issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`, so a verifier configured as on AWS accepts them.
 *
 * Where cognito-local answers differently from Cognito in a way the handlers would notice, the router below
 * answers as Cognito does (see `faithfulRouter`).
 */
const require = createRequire(import.meta.url);

export interface LocalCognitoOptions {
  region: string;
  userPools: LocalUserPool[];
  clients: LocalUserPoolClient[];
  groups: LocalUserPoolGroup[];
  /** Messages Cognito would send (codes) and errors of the emulator itself. */
  log?: (line: string) => void;
  /**
   * Keep the pool's users (passwords, TOTP secrets, refresh tokens) in this folder across restarts; a temporary
   * folder, removed at `close`, otherwise. The pool's settings, clients and groups always come from the template.
   */
  dataDirectory?: string;
}

export interface LocalCognitoUser {
  username: string;
  /** A permanent password: the user signs in without the new-password step. */
  password: string;
  groups: string[];
  /** `custom:municipality` and the like. */
  attributes?: Record<string, string>;
}

export interface LocalCognito {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. */
  endpoint: string;
  /** The template's only user pool and app client: the ones users are added to and sign in with. */
  userPoolId: string;
  clientId: string;
  /**
   * Creates a confirmed user through the admin API, as an administrator would on AWS; a user that exists already
   * (kept in the data folder) is left as it is.
   */
  addUser(user: LocalCognitoUser): Promise<void>;
  /** `InitiateAuth` with `USER_PASSWORD_AUTH`, through the public API like any client. */
  signIn(username: string, password: string): Promise<AuthenticationResultType>;
  close(): Promise<void>;
}

// The slice of cognito-local's internals used here (its CommonJS modules under lib/).
interface Context {
  logger: unknown;
}
interface Attribute {
  Name: string;
  Value?: string;
}
interface PoolUser {
  Username: string;
  Attributes?: Attribute[];
  RefreshTokens?: string[];
}
interface AppClient {
  ClientId: string;
  UserPoolId: string;
  ExplicitAuthFlows?: string[];
  ReadAttributes?: string[];
  PreventUserExistenceErrors?: string;
}
interface UserPoolService {
  options: {
    Id: string;
    SchemaAttributes?: { Name?: string }[];
    UsernameConfiguration?: { CaseSensitive?: boolean };
  };
  getUserByUsername(ctx: Context, username: string): Promise<PoolUser | null>;
  saveAppClient(ctx: Context, client: Record<string, unknown>): Promise<void>;
  saveGroup(ctx: Context, group: Record<string, unknown>): Promise<void>;
  listGroups(ctx: Context): Promise<Array<{ GroupName: string; CreationDate?: Date; members?: string[] }>>;
  updateOptions(ctx: Context, options: Record<string, unknown>): Promise<void>;
  storeRefreshToken(ctx: Context, token: string, user: PoolUser): Promise<void>;
}
interface CognitoService {
  createUserPool(ctx: Context, options: Record<string, unknown>): Promise<unknown>;
  getUserPool(ctx: Context, userPoolId: string): Promise<UserPoolService>;
  getUserPoolForClientId(ctx: Context, clientId: string): Promise<UserPoolService>;
  getAppClient(ctx: Context, clientId: string): Promise<AppClient | null>;
}
interface TokenGenerator {
  generate(
    ctx: Context,
    user: PoolUser,
    groups: string[],
    client: AppClient,
    clientMetadata: unknown,
    source: string,
  ): Promise<Record<string, string>>;
}
type Request = Record<string, unknown>;
type Route = (ctx: Context, request: Request) => Promise<Record<string, unknown>>;
type Router = (target: string) => Route;
type CognitoErrorClass = new (code: string, message: string) => Error;

const { createServer } = require('cognito-local/lib/server/server.js') as {
  createServer(
    router: Router,
    logger: unknown,
    options: Record<string, unknown>,
    services: Record<string, unknown>,
  ): { application: http.RequestListener };
};
const { Router: createRouter } = require('cognito-local/lib/server/Router.js') as {
  Router(services: Record<string, unknown>): Router;
};
const { CognitoServiceFactoryImpl, USER_POOL_AWS_DEFAULTS } =
  require('cognito-local/lib/services/cognitoService.js') as {
    CognitoServiceFactoryImpl: new (
      directory: string,
      dataStoreFactory: unknown,
      userPoolServiceFactory: unknown,
    ) => { create(ctx: Context, defaults: Record<string, unknown>): Promise<CognitoService> };
    USER_POOL_AWS_DEFAULTS: { SchemaAttributes: { Name: string }[] };
  };
const { UserPoolServiceFactoryImpl } = require('cognito-local/lib/services/userPoolService.js') as {
  UserPoolServiceFactoryImpl: new (clock: unknown, dataStoreFactory: unknown) => unknown;
};
const { JwtTokenGenerator } = require('cognito-local/lib/services/tokenGenerator.js') as {
  JwtTokenGenerator: new (clock: unknown, triggers: unknown, config: unknown) => TokenGenerator;
};
const { DateClock } = require('cognito-local/lib/services/clock.js') as { DateClock: new () => unknown };
const { MessagesService } = require('cognito-local/lib/services/messages.js') as {
  MessagesService: new (triggers: unknown, delivery: unknown) => unknown;
};
const { MessageDeliveryService } =
  require('cognito-local/lib/services/messageDelivery/messageDelivery.js') as {
    MessageDeliveryService: new (sender: unknown) => unknown;
  };
const { otp } = require('cognito-local/lib/services/otp.js') as { otp: unknown };
const { CognitoError } = require('cognito-local/lib/errors.js') as { CognitoError: CognitoErrorClass };
const pino = cognitoLocalRequire('pino') as (
  options: Record<string, unknown>,
  stream: { write(line: string): void },
) => unknown;

/** Cognito's defaults for token lifetimes an app client does not set, in seconds. */
const DEFAULT_VALIDITY_SECONDS = { IdToken: 3600, AccessToken: 3600, RefreshToken: 30 * 86_400 };
const DEFAULT_VALIDITY_UNITS = { IdToken: 'hours', AccessToken: 'hours', RefreshToken: 'days' };
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

export async function startLocalCognito(options: LocalCognitoOptions): Promise<LocalCognito> {
  const log = options.log ?? (() => {});
  const [pool, ...otherPools] = options.userPools;
  const [client, ...otherClients] = options.clients;
  if (!pool || otherPools.length > 0 || !client || otherClients.length > 0) {
    throw new Error(
      `The local sign-in expects one user pool with one app client; the template has ${options.userPools.length} pools and ${options.clients.length} clients`,
    );
  }
  const keepData = options.dataDirectory !== undefined;
  const dataDirectory = options.dataDirectory ?? (await mkdtemp(path.join(os.tmpdir(), 'vaekst-cognito-')));
  const logger = pino(
    { level: 'error', base: undefined },
    {
      write(line: string) {
        log(`Local Cognito: ${errorMessageOf(line)}`);
      },
    },
  );
  const ctx: Context = { logger };
  const clock = new DateClock();
  const dataStores = new AtomicDataStoreFactory(dataDirectory, log);
  const cognito = await new CognitoServiceFactoryImpl(
    dataDirectory,
    dataStores,
    new UserPoolServiceFactoryImpl(clock, dataStores),
  ).create(ctx, {});

  // User pool triggers are not emulated: no trigger is configured, so none runs (and the AWS SDK v2 that
  // cognito-local's trigger service would load is never needed).
  const triggers = { enabled: () => false };
  const services = {
    clock,
    cognito,
    config: { TokenConfig: { IssuerDomain: `https://cognito-idp.${options.region}.amazonaws.com` } },
    messages: new MessagesService(
      triggers,
      new MessageDeliveryService({
        sendEmail: async (_ctx: Context, _user: PoolUser, to: string, message: { __code?: string }) =>
          log(`Cognito would e-mail ${to} the code ${message.__code ?? ''}`),
        sendSms: async (_ctx: Context, _user: PoolUser, to: string, message: { __code?: string }) =>
          log(`Cognito would text ${to} the code ${message.__code ?? ''}`),
      }),
    ),
    otp,
    tokenGenerator: readableClaimsOnly(
      new JwtTokenGenerator(clock, triggers, {
        IssuerDomain: `https://cognito-idp.${options.region}.amazonaws.com`,
      }),
    ),
    triggers,
  };

  for (const userPool of options.userPools) await createUserPool(ctx, cognito, userPool);
  for (const appClient of options.clients) await createAppClient(ctx, cognito, appClient);
  for (const group of options.groups) {
    const service = await cognito.getUserPool(ctx, group.userPoolId);
    const now = new Date();
    // cognito-local keeps a group's members on the group: a group kept from an earlier run keeps them.
    const kept = (await service.listGroups(ctx)).find((stored) => stored.GroupName === group.groupName);
    await service.saveGroup(ctx, {
      GroupName: group.groupName,
      Description: group.properties.Description,
      Precedence: group.properties.Precedence,
      RoleArn: group.properties.RoleArn,
      CreationDate: kept?.CreationDate ?? now,
      LastModifiedDate: now,
      members: kept?.members ?? [],
    });
  }

  const application = createServer(
    faithfulRouter(createRouter(services), cognito),
    logger,
    { development: false },
    services,
  ).application;
  const server = http.createServer(application);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sdk = new CognitoIdentityProviderClient({
    endpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const userPoolId = pool.userPoolId;
  const clientId = client.clientId;

  return {
    endpoint,
    userPoolId,
    clientId,
    async addUser(user) {
      try {
        await sdk.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: user.username,
            MessageAction: 'SUPPRESS',
            UserAttributes: Object.entries(user.attributes ?? {}).map(([Name, Value]) => ({ Name, Value })),
          }),
        );
      } catch (error) {
        // Kept from an earlier run (a data folder): the user stays as stored, with any password or TOTP it set.
        if (error instanceof Error && error.name === 'UsernameExistsException') return;
        throw error;
      }
      await sdk.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: userPoolId,
          Username: user.username,
          Password: user.password,
          Permanent: true,
        }),
      );
      for (const group of user.groups) {
        await sdk.send(
          new AdminAddUserToGroupCommand({
            UserPoolId: userPoolId,
            Username: user.username,
            GroupName: group,
          }),
        );
      }
    },
    async signIn(username, password) {
      const answer = await sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
      if (!answer.AuthenticationResult) {
        throw new Error(`Signing in ${username} asks for ${answer.ChallengeName ?? 'a challenge'} first`);
      }
      return answer.AuthenticationResult;
    },
    async close() {
      sdk.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      if (!keepData) await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

async function createUserPool(ctx: Context, cognito: CognitoService, pool: LocalUserPool): Promise<void> {
  const properties = pool.properties;
  if (isRecord(properties.LambdaConfig) && Object.keys(properties.LambdaConfig).length > 0) {
    throw new Error(`${pool.logicalId}: user pool triggers (LambdaConfig) are not emulated locally`);
  }
  const now = new Date();
  const settings = {
    Id: pool.userPoolId,
    Arn: pool.arn,
    Name: properties.UserPoolName ?? pool.logicalId,
    CreationDate: now,
    LastModifiedDate: now,
    AccountRecoverySetting: properties.AccountRecoverySetting,
    AdminCreateUserConfig: properties.AdminCreateUserConfig,
    AliasAttributes: properties.AliasAttributes,
    AutoVerifiedAttributes: properties.AutoVerifiedAttributes,
    EnabledMfas: properties.EnabledMfas,
    // cognito-local's MFA check reads only MfaConfiguration; OPTIONAL makes users with TOTP set up answer it.
    MfaConfiguration: properties.MfaConfiguration ?? 'OFF',
    Policies: properties.Policies,
    SchemaAttributes: schemaAttributes(Array.isArray(properties.Schema) ? properties.Schema : []),
    UserAttributeUpdateSettings: properties.UserAttributeUpdateSettings,
    UsernameAttributes: properties.UsernameAttributes,
    UsernameConfiguration: properties.UsernameConfiguration,
  };
  // A pool kept from an earlier run keeps its users and takes the template's settings as they are now.
  // getUserPool throws synchronously for an unknown pool; the promise chain turns that into "not kept".
  const kept = await Promise.resolve()
    .then(() => cognito.getUserPool(ctx, pool.userPoolId))
    .catch(() => undefined);
  if (kept) {
    // Like createUserPool's merge: a setting the template leaves out keeps the stored value (and its date).
    const defined = Object.entries(settings).filter(
      ([name, value]) => value !== undefined && name !== 'CreationDate',
    );
    await kept.updateOptions(ctx, { ...kept.options, ...Object.fromEntries(defined) });
  } else await cognito.createUserPool(ctx, settings);
}

/** The template's `Schema` on top of the standard attributes; any other name is a custom attribute (`custom:`). */
function schemaAttributes(schema: unknown[]): Record<string, unknown>[] {
  const standard = USER_POOL_AWS_DEFAULTS.SchemaAttributes;
  const standardNames = new Set(standard.map((attribute) => attribute.Name));
  const byName = new Map(
    schema.filter(isRecord).map((attribute) => [String(attribute.Name), attribute] as const),
  );
  const custom = [...byName.values()]
    .filter((attribute) => !standardNames.has(String(attribute.Name)))
    .map((attribute) => ({
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      ...attribute,
      Name: `custom:${String(attribute.Name)}`,
    }));
  return [...standard.map((attribute) => ({ ...attribute, ...byName.get(attribute.Name) })), ...custom];
}

async function createAppClient(ctx: Context, cognito: CognitoService, client: LocalUserPoolClient) {
  const properties = client.properties;
  if (properties.GenerateSecret === true) {
    throw new Error(`${client.logicalId}: app clients with a secret (SECRET_HASH) are not emulated locally`);
  }
  const units = isRecord(properties.TokenValidityUnits) ? properties.TokenValidityUnits : {};
  const unitOf = (token: keyof typeof DEFAULT_VALIDITY_UNITS) =>
    typeof units[token] === 'string' ? (units[token] as string) : DEFAULT_VALIDITY_UNITS[token];
  const validity = (token: keyof typeof DEFAULT_VALIDITY_UNITS, value: unknown) =>
    typeof value === 'number'
      ? value
      : DEFAULT_VALIDITY_SECONDS[token] / (UNIT_SECONDS[unitOf(token)] ?? Number.NaN);
  const service = await cognito.getUserPool(ctx, client.userPoolId);
  const now = new Date();
  await service.saveAppClient(ctx, {
    ClientId: client.clientId,
    ClientName: properties.ClientName ?? client.logicalId,
    UserPoolId: client.userPoolId,
    CreationDate: now,
    LastModifiedDate: now,
    ExplicitAuthFlows: properties.ExplicitAuthFlows,
    IdTokenValidity: validity('IdToken', properties.IdTokenValidity),
    AccessTokenValidity: validity('AccessToken', properties.AccessTokenValidity),
    RefreshTokenValidity: validity('RefreshToken', properties.RefreshTokenValidity),
    TokenValidityUnits: {
      IdToken: unitOf('IdToken'),
      AccessToken: unitOf('AccessToken'),
      RefreshToken: unitOf('RefreshToken'),
    },
    ReadAttributes: properties.ReadAttributes,
    WriteAttributes: properties.WriteAttributes,
    EnableTokenRevocation: properties.EnableTokenRevocation ?? true,
    PreventUserExistenceErrors: properties.PreventUserExistenceErrors,
    AllowedOAuthFlows: properties.AllowedOAuthFlows,
    AllowedOAuthFlowsUserPoolClient: properties.AllowedOAuthFlowsUserPoolClient,
    AllowedOAuthScopes: properties.AllowedOAuthScopes,
    CallbackURLs: properties.CallbackURLs,
    LogoutURLs: properties.LogoutURLs,
    SupportedIdentityProviders: properties.SupportedIdentityProviders,
  });
}

/** Cognito puts into the ID token only the attributes the app client may read (`ReadAttributes`; all if unset). */
function readableClaimsOnly(generator: TokenGenerator): TokenGenerator {
  return {
    generate(ctx, user, groups, client, clientMetadata, source) {
      const readable = client.ReadAttributes;
      const visible =
        Array.isArray(readable) && readable.length > 0
          ? {
              ...user,
              Attributes: (user.Attributes ?? []).filter(
                (attribute) => attribute.Name === 'sub' || readable.includes(attribute.Name),
              ),
            }
          : user;
      return generator.generate(ctx, visible, groups, client, clientMetadata, source);
    },
  };
}

/**
 * cognito-local's router with the answers corrected where Cognito's differ and a client would notice:
 * - usernames are matched case-insensitively when the pool says so (`UsernameConfiguration.CaseSensitive`);
 * - `USER_PASSWORD_AUTH` needs the client to allow it; a wrong password is `NotAuthorizedException`
 *   ("Incorrect username or password."), an unknown user too when the client prevents user-existence errors;
 * - an expired refresh token is refused;
 * - tokens issued after a challenge (MFA, new password) can be refreshed and revoked like any others;
 * - `AuthenticationResult` carries `ExpiresIn` and `TokenType`;
 * - `AdminCreateUser` refuses attributes the pool's schema does not have;
 * - a user's own `UpdateUserAttributes` may write only the attributes the app client's `WriteAttributes` lists
 *   (so nobody moves themselves to another municipality).
 */
function faithfulRouter(router: Router, cognito: CognitoService): Router {
  return (target) => {
    const route = router(target);
    return async (ctx, request) => {
      const normalized = await normalizeUsernames(ctx, cognito, request);
      let answer: Record<string, unknown>;
      switch (target) {
        case 'InitiateAuth':
          answer = await initiateAuth(ctx, cognito, route, normalized);
          break;
        case 'RespondToAuthChallenge':
          answer = await route(ctx, normalized);
          await rememberRefreshToken(ctx, cognito, normalized, answer);
          break;
        case 'AdminCreateUser':
          await checkSchema(ctx, cognito, normalized);
          answer = await route(ctx, normalized);
          break;
        case 'UpdateUserAttributes':
          await checkWritable(ctx, cognito, normalized);
          answer = await route(ctx, normalized);
          break;
        default:
          answer = await route(ctx, normalized);
      }
      return withTokenLifetime(answer);
    };
  };
}

async function initiateAuth(
  ctx: Context,
  cognito: CognitoService,
  route: Route,
  request: Request,
): Promise<Record<string, unknown>> {
  const clientId = String(request.ClientId ?? '');
  const client = await cognito.getAppClient(ctx, clientId);
  if (!client)
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  const parameters = isRecord(request.AuthParameters) ? request.AuthParameters : {};
  const flows = client.ExplicitAuthFlows;
  if (request.AuthFlow === 'USER_PASSWORD_AUTH') {
    if (flows && !flows.includes('ALLOW_USER_PASSWORD_AUTH') && !flows.includes('USER_PASSWORD_AUTH')) {
      throw new CognitoError(
        'InvalidParameterException',
        'USER_PASSWORD_AUTH flow not enabled for this client',
      );
    }
    const pool = await cognito.getUserPoolForClientId(ctx, clientId);
    const user = await pool.getUserByUsername(ctx, String(parameters.USERNAME ?? ''));
    if (!user) {
      throw client.PreventUserExistenceErrors === 'ENABLED'
        ? new CognitoError('NotAuthorizedException', 'Incorrect username or password.')
        : new CognitoError('UserNotFoundException', 'User does not exist.');
    }
    try {
      return await route(ctx, request);
    } catch (error) {
      if ((error as { code?: string }).code === 'InvalidPasswordException') {
        throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
      }
      throw error;
    }
  }
  if (request.AuthFlow === 'REFRESH_TOKEN_AUTH' || request.AuthFlow === 'REFRESH_TOKEN') {
    const expiresAt = Number(jwtPayload(String(parameters.REFRESH_TOKEN ?? ''))?.exp);
    if (Number.isFinite(expiresAt) && expiresAt * 1000 <= Date.now()) {
      throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
    }
    try {
      return await route(ctx, request);
    } catch (error) {
      if ((error as { code?: string }).code === 'NotAuthorizedException') {
        throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
      }
      throw error;
    }
  }
  return route(ctx, request);
}

async function rememberRefreshToken(
  ctx: Context,
  cognito: CognitoService,
  request: Request,
  answer: Record<string, unknown>,
): Promise<void> {
  const result = isRecord(answer.AuthenticationResult) ? answer.AuthenticationResult : undefined;
  const responses = isRecord(request.ChallengeResponses) ? request.ChallengeResponses : {};
  if (typeof result?.RefreshToken !== 'string' || typeof responses.USERNAME !== 'string') return;
  const pool = await cognito.getUserPoolForClientId(ctx, String(request.ClientId ?? ''));
  const user = await pool.getUserByUsername(ctx, responses.USERNAME);
  if (user && !user.RefreshTokens?.includes(result.RefreshToken)) {
    await pool.storeRefreshToken(ctx, result.RefreshToken, user);
  }
}

/** The app client that issued the access token may write only its `WriteAttributes` (none listed: all). */
async function checkWritable(ctx: Context, cognito: CognitoService, request: Request): Promise<void> {
  const clientId = String(jwtPayload(String(request.AccessToken ?? ''))?.client_id ?? '');
  const client = await cognito.getAppClient(ctx, clientId);
  const writable = (client as { WriteAttributes?: string[] } | undefined)?.WriteAttributes;
  if (!writable) return;
  const attributes = Array.isArray(request.UserAttributes) ? request.UserAttributes : [];
  for (const attribute of attributes) {
    const name = isRecord(attribute) ? String(attribute.Name ?? '') : '';
    if (!writable.includes(name)) {
      throw new CognitoError('NotAuthorizedException', `A client attempted to write unauthorized attribute`);
    }
  }
}

async function checkSchema(ctx: Context, cognito: CognitoService, request: Request): Promise<void> {
  const pool = await cognito.getUserPool(ctx, String(request.UserPoolId ?? ''));
  const known = new Set((pool.options.SchemaAttributes ?? []).map((attribute) => attribute.Name));
  const attributes = Array.isArray(request.UserAttributes) ? request.UserAttributes.filter(isRecord) : [];
  const unknown = attributes.map((attribute) => String(attribute.Name)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new CognitoError(
      'InvalidParameterException',
      `Attributes did not conform to the schema: ${unknown.map((name) => `${name}: Attribute does not exist in the schema.`).join(' ')}`,
    );
  }
}

/** In a pool whose usernames are case-insensitive, `Kolding-Sagsbehandler` is `kolding-sagsbehandler`. */
async function normalizeUsernames(ctx: Context, cognito: CognitoService, request: Request): Promise<Request> {
  if (!isRecord(request)) return request;
  let pool: UserPoolService | undefined;
  try {
    if (typeof request.UserPoolId === 'string') pool = await cognito.getUserPool(ctx, request.UserPoolId);
    else if (typeof request.ClientId === 'string') {
      pool = await cognito.getUserPoolForClientId(ctx, request.ClientId);
    }
  } catch {
    return request; // The target itself answers for an unknown pool or client.
  }
  if (pool?.options.UsernameConfiguration?.CaseSensitive !== false) return request;
  const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
  const withUsername = (record: unknown, key: string) =>
    isRecord(record) && key in record ? { ...record, [key]: lower(record[key]) } : record;
  return {
    ...(withUsername(request, 'Username') as Request),
    ...(isRecord(request.AuthParameters)
      ? { AuthParameters: withUsername(request.AuthParameters, 'USERNAME') }
      : {}),
    ...(isRecord(request.ChallengeResponses)
      ? { ChallengeResponses: withUsername(request.ChallengeResponses, 'USERNAME') }
      : {}),
  };
}

/** Cognito says how long the access token lives (`ExpiresIn`, seconds) and that it is a bearer token. */
function withTokenLifetime(answer: Record<string, unknown>): Record<string, unknown> {
  const result = isRecord(answer?.AuthenticationResult) ? answer.AuthenticationResult : undefined;
  if (typeof result?.AccessToken !== 'string') return answer;
  const payload = jwtPayload(result.AccessToken);
  const expiresIn = Number(payload?.exp) - Number(payload?.iat);
  const cleaned = Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined));
  return {
    ...answer,
    AuthenticationResult: {
      ...cleaned,
      ExpiresIn: Number.isFinite(expiresIn) ? expiresIn : undefined,
      TokenType: 'Bearer',
    },
  };
}

function jwtPayload(token: string): Record<string, unknown> | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return isRecord(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** pino writes one JSON line per entry; the message (and error) is what a person needs. */
function errorMessageOf(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    return [entry.msg, entry.err?.message].filter(Boolean).join(': ');
  } catch {
    return line.trim();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
