import { existsSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR, REPO_ROOT } from './fixtures';

/** Where the project's shared folder must be: beside the repository (README, quick start). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');

/**
 * Vitest global set-up: stop the run at once, with one clear message, when `../shared` (the
 * filled applications in shared/fixtures/applications, the seed notice) is not beside the
 * repository, instead of some thirty test files failing with ENOENT.
 */
export default function requireShared(): void {
  if (!existsSync(FIXTURES_DIR))
    throw new Error(
      `The tests need the project's shared folder beside this repository: ${FIXTURES_DIR} is missing. ` +
        `Put (or link) the project's shared folder at ${SHARED_DIR} (README, "Quick start").`,
    );
}
