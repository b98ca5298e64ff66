/**
 * setupFiles: each test file gets its own temp root as TMPDIR (os.tmpdir() and the child
 * processes it starts see it), removed after the file's last test, so no test leaves
 * folders in /tmp, whether or not it cleans up after itself.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const previous = process.env.TMPDIR;
const root = mkdtempSync(join(tmpdir(), 'tp-test-'));
// Searchable by other users, as /tmp is: a test that runs the CLI as another user (nobody) must reach its folder.
chmodSync(root, 0o755);
process.env.TMPDIR = root;

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(root, { recursive: true, force: true });
});
