// Lets the README's quick start be `npm run demo` / `npm test` right after cloning:
// installs the locked dependencies first when node_modules is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function ensureDependencies(root) {
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('setup: node_modules missing, running npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('setup: npm ci failed');
    process.exit(1);
  }
}
