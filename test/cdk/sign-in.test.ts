import { beforeAll, describe, expect, it } from 'vitest';
import { roleGroups, roles } from '../../domain/access.ts';
import { parseFlag } from '../../lib/programme-stack.ts';
import {
  entries,
  functionId,
  isRecord,
  logicalIdOf,
  onlyResourceOfType,
  refersTo,
  resourcesOfType,
  roleOf,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './support.ts';

function loginEnvironment(synthesized: Synthesized): Record<string, unknown> {
  const environment =
    synthesized.json.Resources[functionId(synthesized.json, entries.login)]?.Properties?.Environment;
  return isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
}

describe('SignIn', () => {
  let synthesized: Synthesized;
  let pool: Record<string, unknown>;

  beforeAll(() => {
    // Prepare
    synthesized = synthesize();
    pool = synthesized.json.Resources[logicalIdOf(synthesized.stack.signIn.userPool)]?.Properties ?? {};
  });

  it('lets only administrators create users, signing in by username, recovered by an administrator', () => {
    // Assess
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.UsernameAttributes).toBeUndefined();
    expect(pool.AliasAttributes).toBeUndefined();
    expect(pool.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }],
    });
  });

  it('holds the kommunekode in custom:municipality', () => {
    // Act
    const schema = (Array.isArray(pool.Schema) ? pool.Schema : []).filter(isRecord);

    // Assess
    expect(schema.find((attribute) => attribute.Name === 'municipality')).toMatchObject({
      AttributeDataType: 'String',
      StringAttributeConstraints: { MinLength: '3', MaxLength: '3' },
    });
  });

  it('requires strong passwords and offers TOTP, never SMS', () => {
    // Assess
    expect(pool.Policies).toMatchObject({
      PasswordPolicy: {
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      },
    });
    const minimumLength =
      isRecord(pool.Policies) && isRecord(pool.Policies.PasswordPolicy)
        ? Number(pool.Policies.PasswordPolicy.MinimumLength)
        : 0;
    expect(minimumLength).toBeGreaterThanOrEqual(12);
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('keeps the user pool when the stack goes, and refuses to delete it', () => {
    // Act
    const resource = synthesized.json.Resources[logicalIdOf(synthesized.stack.signIn.userPool)];

    // Assess
    expect(resource?.DeletionPolicy).toBe('Retain');
    expect(resource?.UpdateReplacePolicy).toBe('Retain');
    expect(pool.DeletionProtection).toBe('ACTIVE');
  });

  it('has a group per role, named as the role, described in Danish', () => {
    // Act
    const groups = resourcesOfType(synthesized.json, 'AWS::Cognito::UserPoolGroup').map(
      ([, group]) => group.Properties ?? {},
    );

    // Assess
    expect(groups.map((group) => group.GroupName).sort()).toEqual(
      roles.map((role) => roleGroups[role]).sort(),
    );
    for (const group of groups) {
      expect(group.UserPoolId).toEqual({ Ref: logicalIdOf(synthesized.stack.signIn.userPool) });
      expect(String(group.Description)).toMatch(/[æøå]/);
    }
  });

  it('has an app client without a secret: password and refresh flows, 1 h tokens, 12 h refresh, revocation', () => {
    // Act
    const clientId = onlyResourceOfType(synthesized.json, 'AWS::Cognito::UserPoolClient');
    const client = synthesized.json.Resources[clientId]?.Properties ?? {};

    // Assess
    expect(client.GenerateSecret).toBe(false);
    expect([...(client.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
    ]);
    expect(client).toMatchObject({
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(client.ReadAttributes).toContain('custom:municipality');
    expect(Array.isArray(client.WriteAttributes)).toBe(true);
    expect(client.WriteAttributes).not.toContain('custom:municipality');
  });

  it('makes finance and programme set up TOTP by default, and nobody with requireMfa=false', () => {
    // Act
    const byDefault = loginEnvironment(synthesized).REQUIRE_MFA_ROLES;
    const off = loginEnvironment(synthesize({ requireMfa: 'false' })).REQUIRE_MFA_ROLES;

    // Assess
    expect(byDefault).toBe('finance,programme');
    expect(off).toBe('');
  });

  it('lets the authorizer read users of this pool only, to require TOTP of the same roles as the login page', () => {
    // Prepare
    const { json } = synthesized;
    const authorizerId = functionId(json, entries.authorizer);
    const poolId = logicalIdOf(synthesized.stack.signIn.userPool);

    // Act
    const cognitoStatements = statementsOfRole(json, roleOf(json, authorizerId)).filter((statement) =>
      statement.actions.some((action) => action.startsWith('cognito-idp:')),
    );
    const environment = json.Resources[authorizerId]?.Properties?.Environment;

    // Assess
    expect(cognitoStatements).toHaveLength(1);
    expect(cognitoStatements[0]?.actions).toEqual(['cognito-idp:AdminGetUser']);
    expect(cognitoStatements[0]?.resources).toHaveLength(1);
    expect(refersTo(cognitoStatements[0]?.resources[0], poolId)).toBe(true);
    expect(
      isRecord(environment) && isRecord(environment.Variables) && environment.Variables.REQUIRE_MFA_ROLES,
    ).toBe('finance,programme');
  });

  it('refuses a requireMfa that is not true or false', () => {
    // Act / Assess
    expect(parseFlag(true, 'requireMfa', false)).toBe(true);
    expect(parseFlag('false', 'requireMfa', true)).toBe(false);
    expect(parseFlag(undefined, 'requireMfa', true)).toBe(true);
    expect(() => synthesize({ requireMfa: 'ja' })).toThrow(/Context "requireMfa" must be true or false/);
  });

  it('outputs the user pool and its client', () => {
    // Act
    const outputs = synthesized.json.Outputs ?? {};

    // Assess
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: logicalIdOf(synthesized.stack.signIn.userPool) });
    expect(outputs.UserPoolClientId?.Value).toEqual({
      Ref: logicalIdOf(synthesized.stack.signIn.userPoolClient),
    });
  });
});
