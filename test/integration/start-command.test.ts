import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from '../support/server-process';
import { REPO_ROOT } from '../support/fixtures';

const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('the server start command (package.json)', () => {
  it('npm start and npm run demo run the server with the same node flags, which the bench, fault and browser tests read from there', () => {
    const flags = serverNodeFlags();
    // the young generation the save surge was measured with (docs/operations.md)
    expect(flags).toContain('--max-semi-space-size=64');
    expect(scripts.start).toContain(`node ${flags.join(' ')} --import tsx src/server/main.ts`);
    expect(scripts.demo).toContain(`node ${flags.join(' ')} --import tsx src/server/main.ts --demo`);
  });
});
