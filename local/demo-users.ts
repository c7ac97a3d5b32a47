import type { Role } from '#domain/access';

/**
 * The users `npm start` seeds into the local user pool: one of each municipal role in Kolding (621) and in
 * Aalborg (851), and a programme manager. They exist only locally; on AWS users are added by an administrator
 * (or come from a municipality's federated login).
 */
export interface DemoUser {
  username: string;
  role: Role;
  /** Kommunekode; none for the programme role, which reads across municipalities. */
  municipality?: string;
}

/** One password for every demo user: it is printed at start-up and meets the pool's password policy. */
export const DEMO_PASSWORD = 'Demo-Adgang-2026!';

export const demoUsers: readonly DemoUser[] = [
  { username: 'kolding-sagsbehandler', role: 'caseworker', municipality: '621' },
  { username: 'kolding-aktoer', role: 'employment-actor', municipality: '621' },
  { username: 'kolding-oekonomi', role: 'finance', municipality: '621' },
  { username: 'aalborg-sagsbehandler', role: 'caseworker', municipality: '851' },
  { username: 'aalborg-aktoer', role: 'employment-actor', municipality: '851' },
  { username: 'aalborg-oekonomi', role: 'finance', municipality: '851' },
  { username: 'programleder', role: 'programme' },
];
