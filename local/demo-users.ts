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
  /** The company role's CVR number (a company registered in the municipality's partnership). */
  company?: string;
}

/** One password for every demo user: it is printed at start-up and meets the pool's password policy. */
export const DEMO_PASSWORD = 'Demo-Adgang-2026!';

/** The company contact's company: registered by the accelerator user first (README, *Try it*). */
export const DEMO_COMPANY_CVR = '12345674';

export const demoUsers: readonly DemoUser[] = [
  { username: 'kolding-sagsbehandler', role: 'caseworker', municipality: '621' },
  { username: 'kolding-aktoer', role: 'employment-actor', municipality: '621' },
  { username: 'kolding-oekonomi', role: 'finance', municipality: '621' },
  { username: 'aalborg-sagsbehandler', role: 'caseworker', municipality: '851' },
  { username: 'aalborg-aktoer', role: 'employment-actor', municipality: '851' },
  { username: 'aalborg-oekonomi', role: 'finance', municipality: '851' },
  { username: 'kolding-accelerator', role: 'accelerator', municipality: '621' },
  { username: 'aalborg-accelerator', role: 'accelerator', municipality: '851' },
  // The CVR number of the company the accelerator registers in the README's walk-through (passes modulus 11).
  { username: 'kolding-virksomhed', role: 'company', municipality: '621', company: DEMO_COMPANY_CVR },
  { username: 'programleder', role: 'programme' },
];
