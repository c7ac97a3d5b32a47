import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { type Role, roleGroups, roleLabels, roles } from '#domain/access';

/** The roles whose users must set up TOTP before they get a session, when `requireMfa` is on. */
export const MFA_ROLES: readonly Role[] = ['finance', 'programme'];

/** The custom attribute holding a user's kommunekode: in tokens as `custom:municipality`. */
export const MUNICIPALITY_ATTRIBUTE = 'municipality';

/** The custom attribute holding a company contact's CVR number: in tokens as `custom:company`. */
export const COMPANY_ATTRIBUTE = 'company';

/** Danish descriptions of the groups, as administrators see them in the console. */
const groupDescriptions: Record<Role, string> = {
  caseworker: 'Henviser borgere, læser forløb og registrerer udfald i egen kommune',
  'employment-actor':
    'Læser forløb og registrerer udfald, virksomhedsforløb og fastholdelse i egen kommune; kan ikke henvise',
  finance: 'Betalinger, opgørelser og business case for egen kommune',
  programme: 'Læser alt på tværs af kommuner og ændrer intet på et forløb',
  accelerator:
    'Fondens acceleratorkonsulent: kohorter, camps, social model og partnerplan i egen kommunes partnerskab; læser ingen borgerforløb',
  company:
    'Kontaktperson i en virksomhed: egen virksomheds side og nøgletal; ser ingen borgerdata (forløb og CPR)',
};

export interface SignInProps {
  /**
   * Whether finance and programme users must set up TOTP (the login page then refuses them a session until
   * they have). TOTP stays available to everyone either way.
   * @default true
   */
  readonly requireMfa?: boolean;
}

/**
 * Who may use the system: one Cognito user pool whose groups are the roles and whose `custom:municipality`
 * holds each user's kommunekode, so that neither is ever taken from a request. Administrators create the users
 * (no self sign-up, no self-service recovery); the app client signs in with username and password and hands
 * out short-lived tokens.
 */
export class SignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly groups: Record<Role, cognito.UserPoolGroup>;
  /** The roles the login page forces to set up TOTP (`REQUIRE_MFA_ROLES`). */
  readonly requireMfaRoles: readonly Role[];

  constructor(scope: Construct, id: string, props: SignInProps = {}) {
    super(scope, id);
    this.requireMfaRoles = (props.requireMfa ?? true) ? MFA_ROLES : [];

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${Stack.of(this).stackName}-users`,
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      customAttributes: {
        // Kommunekode: three digits. Mutable so that an administrator can move a user; never by the user.
        [MUNICIPALITY_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 3, maxLen: 3, mutable: true }),
        // A company contact's CVR number (eight digits), set by an administrator like the municipality.
        [COMPANY_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 8, maxLen: 8, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Optional at the pool, so that caseworkers may add TOTP; the login page requires it of the roles in
      // REQUIRE_MFA_ROLES. No SMS: it needs an SNS role and phone numbers, and TOTP is the stronger factor.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // A forgotten password is reset by an administrator, who knows the person; no e-mail or SMS recovery.
      accountRecovery: cognito.AccountRecovery.NONE,
      userInvitation: {
        emailSubject: 'Din adgang til Vækstpartnerskaber',
        emailBody:
          'Du er oprettet som bruger af Vækstpartnerskaber. Brugernavn: {username}. Midlertidig adgangskode: {####}. Log ind og vælg en ny adgangskode inden for tre dage.',
      },
      userVerification: {
        emailSubject: 'Bekræft din e-mailadresse til Vækstpartnerskaber',
        emailBody: 'Din bekræftelseskode er {####}',
        emailStyle: cognito.VerificationEmailStyle.CODE,
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.groups = Object.fromEntries(
      roles.map((role) => [
        role,
        this.userPool.addGroup(`${groupIdOf(role)}Group`, {
          groupName: roleGroups[role],
          description: `${roleLabels[role]}: ${groupDescriptions[role]}`,
        }),
      ]),
    ) as Record<Role, cognito.UserPoolGroup>;

    this.userPoolClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'vaekstpartnerskaber-web',
      // The login Lambda calls InitiateAuth from the server side; a public client, because a secret in the
      // Lambda's environment would protect nothing the user pool does not already.
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // Long enough to scan a QR code and type the first TOTP code.
      authSessionValidity: Duration.minutes(5),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true })
        .withCustomAttributes(MUNICIPALITY_ATTRIBUTE, COMPANY_ATTRIBUTE),
      // Explicit, because a client without WriteAttributes may write every writable attribute; the
      // municipality is set by an administrator only.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }
}

/** `employment-actor` → `EmploymentActor`: construct ids stay stable and readable. */
function groupIdOf(role: Role): string {
  return role
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
