import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataFolder, type PersistedExecution } from '../../local/data-folder.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-data-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function execution(name: string, status: PersistedExecution['status']): PersistedExecution {
  return {
    executionArn: `arn:aws:states:eu-north-1:000000000000:execution:PhaseTimer:${name}`,
    stateMachineArn: 'arn:aws:states:eu-north-1:000000000000:stateMachine:PhaseTimer',
    name,
    status,
    startDate: '2027-01-01T00:00:00.000Z',
    input: '{}',
    context: { Execution: { Name: name } },
    parked:
      status === 'RUNNING'
        ? { stateName: 'Wait for the phase to end', output: {}, target: '2027-07-01T00:00:00.000Z' }
        : undefined,
  };
}

describe('openDataFolder', () => {
  it('gives back the clock, inbox, executions (last state each) and stream positions a closed folder kept', () => {
    // Prepare
    const first = openDataFolder(dir);
    first.clock.save(86_400_000);
    first.inbox.append({ messageId: 'm-1', topicArn: 'arn:topic', message: 'Betaling', publishedAt: 'x' });
    first.executions.save(execution('a', 'RUNNING'));
    first.executions.save(execution('a', 'SUCCEEDED'));
    first.executions.save(execution('b', 'RUNNING'));
    first.streams.save('arn:stream/shard-1', '000000000000000000042');
    first.close();

    // Act
    const second = openDataFolder(dir);

    // Assess: one state per execution, the journal compacted to them.
    expect(second.clock.offsetMs()).toBe(86_400_000);
    expect(second.inbox.load().map((m) => m.messageId)).toEqual(['m-1']);
    expect(second.executions.load().map((e) => [e.name, e.status])).toEqual([
      ['a', 'SUCCEEDED'],
      ['b', 'RUNNING'],
    ]);
    expect(readFileSync(path.join(dir, 'executions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(second.streams.position('arn:stream/shard-1')).toBe('000000000000000000042');
    second.close();
  });

  it('skips a line a crash tore, and says so', () => {
    // Prepare
    const first = openDataFolder(dir);
    first.inbox.append({ messageId: 'm-1', topicArn: 'arn:topic', message: 'Betaling', publishedAt: 'x' });
    first.close();
    appendFileSync(path.join(dir, 'inbox.jsonl'), '{"messageId":"m-2","topi');
    const logged: string[] = [];

    // Act
    const second = openDataFolder(dir, { log: (line) => logged.push(line) });

    // Assess
    expect(second.inbox.load().map((m) => m.messageId)).toEqual(['m-1']);
    expect(logged).toEqual([expect.stringMatching(/inbox\.jsonl: 1 unreadable line/)]);
    second.close();
  });

  it('keeps the message appended after a torn line', () => {
    // Prepare: a crash tore the last line; the next run appends a message.
    const first = openDataFolder(dir);
    first.inbox.append({ messageId: 'm-1', topicArn: 'arn:topic', message: 'Betaling', publishedAt: 'x' });
    first.close();
    appendFileSync(path.join(dir, 'inbox.jsonl'), '{"messageId":"m-2","topi');
    const second = openDataFolder(dir);
    second.inbox.append({ messageId: 'm-3', topicArn: 'arn:topic', message: 'Betaling', publishedAt: 'y' });
    second.close();

    // Act
    const third = openDataFolder(dir);

    // Assess
    expect(third.inbox.load().map((m) => m.messageId)).toEqual(['m-1', 'm-3']);
    third.close();
  });

  it('never sets the clock back behind the local time it saved, even when the wall clock went back', () => {
    // Prepare: saved a day ahead, then the wall clock is found a day further on than its offset says.
    const first = openDataFolder(dir);
    first.clock.save(86_400_000);
    first.close();
    const saved = JSON.parse(readFileSync(path.join(dir, 'clock.json'), 'utf8')) as { localNow: number };
    writeFileSync(
      path.join(dir, 'clock.json'),
      JSON.stringify({ offsetMs: 0, localNow: saved.localNow + 86_400_000 }),
    );

    // Act
    const second = openDataFolder(dir);

    // Assess
    expect(Date.now() + second.clock.offsetMs()).toBeGreaterThanOrEqual(saved.localNow + 86_400_000);
    second.close();
  });

  it('starts empty with fresh', () => {
    // Prepare
    const first = openDataFolder(dir);
    first.clock.save(1_000);
    first.executions.save(execution('a', 'RUNNING'));
    first.close();

    // Act
    const second = openDataFolder(dir, { fresh: true });

    // Assess
    expect(second.clock.offsetMs()).toBe(0);
    expect(second.executions.load()).toEqual([]);
    second.close();
  });

  it('refuses a folder another running process holds, and takes over one a dead process left', async () => {
    // Prepare: a live process's lock, then a dead one's.
    const sleeper = spawn('sleep', ['30']);
    writeFileSync(path.join(dir, 'lock'), String(sleeper.pid));

    // Act + Assess
    expect(() => openDataFolder(dir)).toThrow(`in use by process ${sleeper.pid}`);
    expect(() => openDataFolder(dir, { fresh: true })).toThrow(`in use by process ${sleeper.pid}`);
    expect(existsSync(path.join(dir, 'lock'))).toBe(true);
    sleeper.kill('SIGKILL');
    await new Promise((resolve) => sleeper.once('exit', resolve));
    const folder = openDataFolder(dir);
    expect(readFileSync(path.join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    folder.close();
    expect(existsSync(path.join(dir, 'lock'))).toBe(false);
  });
});
