import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { provisionTemporalServer, TemporalServerUnavailableError } from '../../src/temporal/server-binary';
import { provisionTemporalUi, TemporalUiUnavailableError } from '../../src/temporal/ui-binary';

/** Temporal's server and UI are built with Go into .tools/; without Go the message says what to do. */
describe('tools built from Go modules', () => {
  let tools: string;
  beforeEach(() => {
    tools = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-tools-'));
  });
  afterEach(() => fs.rmSync(tools, { recursive: true, force: true }));

  it('without Go, the server says it cannot be built and how to build it', async () => {
    const failure = provisionTemporalServer({ toolsDir: tools, go: path.join(tools, 'no-go') });
    await expect(failure).rejects.toBeInstanceOf(TemporalServerUnavailableError);
    await expect(failure).rejects.toThrow(/no Go toolchain[\s\S]*go install go\.temporal\.io\/server\/cmd\/server@v1\.30\.4/);
  });

  it('without Go, the UI says the same', async () => {
    const failure = provisionTemporalUi({ toolsDir: tools, go: path.join(tools, 'no-go') });
    await expect(failure).rejects.toBeInstanceOf(TemporalUiUnavailableError);
    await expect(failure).rejects.toThrow(/no Go toolchain.*go install github\.com\/temporalio\/ui-server\/v2\/cmd\/server@v2\.55\.0/);
  });

  it('a UI already built is used as it is, without Go', async () => {
    const bin = path.join(tools, 'temporal-ui', '2.55.0', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'server'), '#!/bin/sh\n', { mode: 0o755 });
    expect((await provisionTemporalUi({ toolsDir: tools, go: path.join(tools, 'no-go') })).path).toBe(path.join(bin, 'server'));
  });
});
