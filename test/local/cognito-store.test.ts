import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileEngine } from '../../local/cognito-store.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-cognito-store-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the local user pool file engine', () => {
  it('leaves one whole save in the file however many saves overlap, the last one last', async () => {
    // Prepare
    const file = path.join(dir, 'pool.json');
    const engine = new FileEngine(file);
    engine.init();
    const big = 'x'.repeat(50_000);

    // Act: 200 saves at once, of different lengths (an in-place write of a shorter one would leave a tail).
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        engine.write({ Users: { [`user-${i}`]: { padding: big.slice(0, (i * 7919) % 50_000) } }, n: i }),
      ),
    );

    // Assess
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ n: 199 });
    expect(readdirSync(dir)).toEqual(['pool.json']);
  });

  it('keeps dates as dates across a save and a read', async () => {
    // Prepare
    const file = path.join(dir, 'pool.json');
    const engine = new FileEngine(file);
    engine.init();

    // Act
    await engine.write({ Options: { CreationDate: new Date('2026-12-02T10:00:00.000Z') } });
    const read = new FileEngine(file).read() as { Options: { CreationDate: Date } };

    // Assess
    expect(read.Options.CreationDate).toEqual(new Date('2026-12-02T10:00:00.000Z'));
  });

  it('moves an unreadable file aside and starts empty, saying so', () => {
    // Prepare
    const file = path.join(dir, 'pool.json');
    writeFileSync(file, '{"Users": {"a"');
    const logged: string[] = [];

    // Act
    const data = new FileEngine(file, (line) => logged.push(line)).init();

    // Assess
    expect(data).toEqual({});
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^pool\.json\.unreadable-\d+$/)]);
    expect(logged).toEqual([expect.stringMatching(/could not be read/)]);
  });
});
