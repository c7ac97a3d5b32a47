import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthesizeLocalTemplate } from '../local/template.ts';

/**
 * Synthesizes the CDK app once per test run, for every local runtime the test files start (and the `npm start`
 * child processes of the restart test): synthesis is the slowest part of a start, and the app does not change
 * within a run. The runtime reads it through LOCAL_TEMPLATE_FILE (local/template.ts).
 */
export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vaekst-template-'));
  const file = path.join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(await synthesizeLocalTemplate()));
  process.env.LOCAL_TEMPLATE_FILE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
