import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#domain/access';
import { DEMO_PASSWORD, demoUsers } from '../../local/demo-users.ts';
import { Api, cpr, type TokenSource } from './local-system.ts';

/**
 * `npm start` is durable: the real start script runs as a child process on a data folder, is stopped (Ctrl+C's
 * SIGTERM) and killed (SIGKILL, as a crash or a closed laptop lid would), and each time the next start carries on
 * where the last one was: pathways, the local clock, the finance inbox, running workflows and signed-in sessions.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STARTUP_TIMEOUT_MS = 120_000;

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

let dataDir: string;
let current: Started | undefined;
/** Every child started, so that a test that times out in the middle of a start leaves none running. */
const children = new Set<ChildProcess>();

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-restart-'));
});

afterAll(async () => {
  if (current) await stop(current, 'SIGKILL');
  for (const child of children) child.kill('SIGKILL');
  // Whatever a failed run left on this folder (its watchdog would end it within a second or so).
  try {
    execFileSync('pkill', ['-KILL', '-f', dataDir]);
  } catch {
    // Nothing left.
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start`'s command, without npm's own process in between, so that the signals reach it. */
async function start(args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not come up:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /kører lokalt på (http:\/\/localhost:\d+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  current = { child, url, exited };
  return current;
}

async function stop(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  started.child.kill(signal);
  const code = await started.exited;
  current = undefined;
  return code;
}

interface ExecutionSeen {
  executionArn: string;
  status: string;
  startDate: string;
}
/** The executions as `GET /_local/executions` lists them, by ARN: what a restart must give back as it was. */
async function executionsOf(api: Api): Promise<Map<string, ExecutionSeen>> {
  const listed = (await api.request('GET', '/_local/executions')).json as unknown as ExecutionSeen[];
  return new Map(listed.map((e) => [e.executionArn, { ...e, startDate: String(e.startDate) }]));
}

/** Signs in as the seeded demo users through POST /login, like an API client. */
class DemoUsers implements TokenSource {
  readonly tokens = new Map<string, string>();
  constructor(private readonly url: () => string) {}

  async token(identity: { role: Role; municipality?: string }): Promise<string> {
    const user = demoUsers.find((u) => u.role === identity.role && u.municipality === identity.municipality);
    if (!user) throw new Error(`No demo user for ${identity.role} in ${identity.municipality}`);
    const known = this.tokens.get(user.username);
    if (known) return known;
    const response = await fetch(`${this.url()}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: DEMO_PASSWORD }),
    });
    const body = (await response.json()) as { idToken?: string };
    if (!body.idToken) throw new Error(`Signing in ${user.username} answered ${response.status}`);
    this.tokens.set(user.username, body.idToken);
    return body.idToken;
  }
}

interface PathwayView {
  phase: string;
  milestones: Array<{ weeks: number; status: string }>;
  payments: Array<{ rule: string; payee: { kind: string }; amountOere: number }>;
}

describe('npm start on a data folder', () => {
  // Three starts of the whole system: on a loaded two-core machine that is more than the default two minutes.
  it('carries pathways, clock, inbox, timers and sessions over a stop and a crash, and nothing doubles', {
    timeout: 360_000,
  }, async () => {
    // Prepare: a fresh start; two citizens, Kolding and Aalborg, fast-forwarded into induction, where Aalborg's
    // citizen starts a job.
    const users = new DemoUsers(() => current?.url ?? '');
    let api = new Api((await start(['--fresh'])).url, users);
    const today = await api.today();
    const kolding = await api.refer({ cpr: cpr(1), municipality: '621', startDate: today });
    const aalborg = await api.refer({ cpr: cpr(2), municipality: '851', startDate: today });
    expect([kolding.status, aalborg.status]).toEqual([201, 201]);
    const koldingId = String(kolding.json.referralId);
    const aalborgId = String(aalborg.json.referralId);
    await api.advance(184);
    const job = await api.request('POST', `/referrals/${aalborgId}/outcomes`, {
      type: 'job-start',
      date: await api.today(),
      hoursPerWeek: 37,
      employer: 'Grøn Café ApS',
    });
    expect(job.status).toBe(201);
    await api.advance(1);
    const clockBefore = (await api.request('GET', '/_local/clock')).json.now as string;
    const inboxBefore = (await api.request('GET', '/_local/inbox')).json as unknown[];
    expect(inboxBefore.length).toBeGreaterThan(0);
    const executionsBefore = await executionsOf(api);

    // Act 1: stop as Ctrl+C does, start again on the same folder.
    const exitCode = await stop(current as Started, 'SIGTERM');
    api = new Api((await start()).url, users);

    // Assess 1: an orderly stop; the executions as they were, each with its state and start date, and none started
    // anew (so the start-up reconciler found nothing missing: the restore, not the reconciler, carried them over).
    expect(exitCode).toBe(0);
    expect(await executionsOf(api)).toEqual(executionsBefore);
    expect([...executionsBefore.values()].some((e) => e.status === 'RUNNING')).toBe(true);
    // The same pathways in the same phase, the clock where it was (or later), the inbox as it was, and the
    // session tokens from before the stop still valid (the user pool and its keys were kept).
    const pathway = async (id: string) =>
      (await api.request('GET', `/referrals/${id}`)).json as unknown as PathwayView;
    expect((await pathway(koldingId)).phase).toBe('induction');
    // A job start ends induction: Aalborg's citizen is followed in tracking.
    expect((await pathway(aalborgId)).phase).toBe('tracking');
    const clockAfter = (await api.request('GET', '/_local/clock')).json.now as string;
    expect(new Date(clockAfter).getTime()).toBeGreaterThanOrEqual(new Date(clockBefore).getTime());
    expect(new Date(clockAfter).getTime() - new Date(clockBefore).getTime()).toBeLessThan(10 * 60_000);
    expect((await api.request('GET', '/_local/inbox')).json).toEqual(inboxBefore);
    const caseworker = { role: 'caseworker', municipality: '621' } as const;
    expect(users.tokens.has('kolding-sagsbehandler')).toBe(true);
    expect((await api.as(caseworker).request('GET', `/referrals/${koldingId}`)).status).toBe(200);

    // Act 2: the timers armed before the stop fire: the 13-week milestone opens and is confirmed; then a crash.
    await api.advance(13 * 7);
    expect((await pathway(aalborgId)).milestones).toMatchObject([
      { weeks: 13, status: 'awaiting-confirmation' },
    ]);
    const confirmed = await api.request('POST', `/referrals/${aalborgId}/confirmations`, {
      milestone: 13,
      employed: true,
    });
    expect(confirmed.status).toBe(201);
    const executionsAtCrash = await executionsOf(api);
    // The killed run's Java may outlive it for a moment: the next start ends it before opening the database.
    await stop(current as Started, 'SIGKILL');
    api = new Api((await start()).url, users);
    // Every execution the crashed run had is there again under its name and start date (a payment run the
    // confirmation was starting at the crash may have gone on since).
    const executionsAfterCrash = await executionsOf(api);
    for (const [arn, execution] of executionsAtCrash) {
      expect(executionsAfterCrash.get(arn)?.startDate, arn).toBe(execution.startDate);
    }

    // Act 3: on past the end of induction and the 26-week milestone.
    await api.advance(13 * 7);
    await api.request('POST', `/referrals/${aalborgId}/confirmations`, { milestone: 26, employed: true });
    await api.advance(7);

    // Assess 2: both pathways moved on (Aalborg's six months of tracking are over); every result paid once per
    // payee and announced once.
    expect((await pathway(koldingId)).phase).toBe('tracking');
    const paid = await pathway(aalborgId);
    expect(paid.phase).toBe('closed');
    expect(paid.milestones.map((m) => [m.weeks, m.status])).toEqual([
      [13, 'confirmed'],
      [26, 'confirmed'],
    ]);
    const payments = paid.payments.map((p) => `${p.rule}/${p.payee.kind}`);
    expect(payments.sort()).toEqual([
      'job-start/employment-actor',
      'sustained-13-weeks/employment-actor',
      'sustained-26-weeks/employment-actor',
    ]);
    const inbox = (await api.request('GET', '/_local/inbox')).json as Array<{
      messageId: string;
      message: string;
      messageAttributes?: Record<string, string>;
    }>;
    expect(new Set(inbox.map((m) => m.messageId)).size).toBe(inbox.length);
    expect(new Set(inbox.map((m) => m.message)).size).toBe(inbox.length);
    // Two payments for finance, and each milestone's opening reminder to the employment actor (both were
    // confirmed before their deadline reminders were due).
    const added = inbox.slice(inboxBefore.length);
    expect(added.filter((m) => m.messageAttributes?.paymentId)).toHaveLength(2);
    expect(added.map((m) => m.messageAttributes?.reminder).filter(Boolean)).toEqual([
      'milestone-opened',
      'milestone-opened',
    ]);
    expect(inbox.length).toBe(inboxBefore.length + 4);
  });
});
