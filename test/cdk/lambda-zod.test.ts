import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/handler-function.ts';
import { z } from '../../lib/lambda-zod.ts';

/** Every .ts file under a folder of the repository. */
function sources(folder: string): string[] {
  return readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(folder, file));
}

/**
 * `z.<member>` used as a value in handler code: not after `extends` and not before `<` (types such as
 * `z.output<…>` and `T extends z.ZodType` are erased and never reach the bundle). A bare annotation such as
 * `x: z.ZodType` counts as a value: a false alarm is safer than a member missing from a bundle.
 */
function valueMembersUsed(source: string): string[] {
  const members: string[] = [];
  for (const match of source.matchAll(/(extends\s+)?\bz\s*\.\s*([A-Za-z_$][\w$]*)(\s*<)?/g)) {
    if (!match[1] && !match[3]) members.push(match[2] as string);
  }
  return members;
}

describe('lib/lambda-zod.ts (what `zod` is in the Lambda bundles)', () => {
  it('has every zod member the handlers use as a value', () => {
    // Prepare
    const files = [...sources('functions'), ...sources('domain')].filter((file) =>
      /import\s*\{\s*z\s*\}\s*from\s*'zod'/.test(readFileSync(path.join(repoRoot, file), 'utf8')),
    );

    // Act
    const missing = files.flatMap((file) =>
      valueMembersUsed(readFileSync(path.join(repoRoot, file), 'utf8'))
        .filter((member) => !(member in z))
        .map((member) => `${file}: z.${member}`),
    );

    // Assess
    expect(files.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });

  it('reads type positions as types and calls as values', () => {
    // Act
    const members = valueMembersUsed(
      'type A = z.output<typeof s>; function f<T extends z.ZodType>(x: T) {} const s = z.object({ a: z\n  .string() });',
    );

    // Assess
    expect(members).toEqual(['object', 'string']);
  });
});
