import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the project's shared folder must be: beside the repository (README, quick start). */
export const SHARED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

/**
 * Vitest global set-up: stop the run at once, with one clear message, when `../shared` (the
 * filled applications in shared/fixtures/applications, the seed notice) is not beside the
 * repository, instead of some thirty test files failing with ENOENT.
 */
export default function requireShared(): void {
  const fixtures = path.join(SHARED_DIR, 'fixtures', 'applications');
  if (!existsSync(fixtures))
    throw new Error(
      `The tests need the project's shared folder beside this repository: ${fixtures} is missing. ` +
        `Put (or link) the project's shared folder at ${SHARED_DIR} (README, "Quick start").`,
    );
}
