// Files Pulse writes are replaced whole or not at all: write a temp file beside the target,
// flush it, then rename over the target (atomic on one filesystem). writeFileExclusive does the
// same for a file that must not exist yet (run records, baselines): it never replaces one.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes `file` completely, only if no file of that name exists; false (and nothing written) if
 * one does. A hard link publishes the finished temp file only while the name is still free, so
 * two writers racing for one name cannot both win.
 */
export async function writeFileExclusive(file: string, data: string | Uint8Array): Promise<boolean> {
  const dir = path.dirname(file);
  if (await exists(file)) return false;
  const pending = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.pending`);
  await writeFileAtomic(pending, data);
  try {
    await fs.link(pending, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EACCES'].includes(code ?? '')) throw e;
    // No hard links on this file system: rename after one more check.
    if (await exists(file)) return false;
    await fs.rename(pending, file);
    return true;
  } finally {
    await fs.rm(pending, { force: true });
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
