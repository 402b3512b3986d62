import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prebuiltBundle } from '../../src/temporal/workflow-bundle';

/** The worker loads `npm run build`'s bundle only while it is newer than the code it was made of. */
describe('the prebuilt workflow bundle', () => {
  let dist: string;
  const write = (file: string, mtimeSeconds: number) => {
    const full = path.join(dist, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, '// compiled');
    fs.utimesSync(full, mtimeSeconds, mtimeSeconds);
  };
  beforeEach(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  });
  afterEach(() => fs.rmSync(dist, { recursive: true, force: true }));

  it('is used when it is newer than every compiled input', () => {
    write('workflows/flow-execution.js', 1000);
    write('src/engine/run.js', 1000);
    write('src/widgets/say-play.js', 1000);
    write('workflow-bundle.js', 2000);
    expect(prebuiltBundle(dist)).toEqual({ codePath: path.join(dist, 'workflow-bundle.js') });
  });

  it('is passed over when any input changed after it (a bare tsc), or when there is none', () => {
    write('workflows/flow-execution.js', 1000);
    write('workflow-bundle.js', 2000);
    write('src/widgets/nested/say-play.js', 3000);
    expect(prebuiltBundle(dist)).toBeUndefined();
    write('src/widgets/nested/say-play.js', 1000);
    write('src/campaigns/quiet-hours.js', 3000);
    expect(prebuiltBundle(dist)).toBeUndefined();
    fs.rmSync(path.join(dist, 'workflow-bundle.js'));
    expect(prebuiltBundle(dist)).toBeUndefined();
  });

  it('ignores what is not compiled code (maps, declarations)', () => {
    write('workflows/flow-execution.js', 1000);
    write('workflows/flow-execution.js.map', 3000);
    write('workflow-bundle.js', 2000);
    expect(prebuiltBundle(dist)).toEqual({ codePath: path.join(dist, 'workflow-bundle.js') });
  });
});
