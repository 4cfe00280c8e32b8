// `npm run bench`: every benchmark in one run, one after the other (they would skew each other on
// two cores), each printing its own figures next to its targets and peers.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = ['store-bench.ts', 'sandbox-bench.ts', 'cluster-bench.ts', 'registry-bench.ts', 'logs-bench.ts', 'ui-bench.ts'];
let failed = false;
for (const bench of benches) {
  console.log(`\n## ${bench}`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, bench)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${bench} failed with exit code ${result.status}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
