/**
 * The release workflow cannot run here, so it is checked instead: valid YAML with the expected
 * shape (three OSes, push + pull_request, a draft release on tags), and every command it runs
 * is one docs/releasing.md documents.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
}
interface Workflow {
  on: { push: unknown; pull_request: unknown };
  jobs: Record<
    string,
    { 'runs-on': string; steps: Step[]; strategy?: { matrix: { os: string[] } }; if?: string }
  >;
}

const workflow = yaml.load(readFileSync('.github/workflows/ci.yml', 'utf8')) as Workflow;
const releasing = readFileSync('docs/releasing.md', 'utf8');

describe('release workflow', () => {
  it('runs on push and pull requests on ubuntu, macos and windows', () => {
    expect(workflow.on).toHaveProperty('push');
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.jobs.build!.strategy!.matrix.os).toEqual([
      'ubuntu-latest',
      'macos-latest',
      'windows-latest',
    ]);
  });

  it('installs, tests, builds installers, proves the keychain module and uploads artifacts', () => {
    const runs = workflow.jobs.build!.steps.map((s) => s.run ?? s.uses ?? '');
    const order = [
      'npm ci',
      'npm test',
      'npm run dist',
      'npm run selftest:packaged',
      'actions/upload-artifact',
    ];
    const positions = order.map((needle) => runs.findIndex((r) => r.includes(needle)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(runs.some((r) => r.startsWith('xvfb-run -a npm test'))).toBe(true);
  });

  it('drafts a release only on version tags', () => {
    const release = workflow.jobs.release!;
    expect(release.if).toContain('refs/tags/v');
    expect(
      release.steps.some((s) => s.run?.includes('gh release create') && s.run.includes('--draft')),
    ).toBe(true);
  });

  it('every command it runs is documented in docs/releasing.md', () => {
    const commands = Object.values(workflow.jobs).flatMap((job) =>
      job.steps.map((s) => s.run).filter((r): r is string => Boolean(r)),
    );
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands)
      expect(releasing, `docs/releasing.md lacks: ${command}`).toContain(command.trim());
  });
});
