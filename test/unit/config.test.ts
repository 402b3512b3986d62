import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCredentials } from '../../src/config/credentials';
import { ConfigError, CONFIG_VARIABLES, loadConfig } from '../../src/config/env';
import { changedLimits, DEFAULT_ALL_LIMITS, limitVariables } from '../../src/config/limits';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv/app');
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives a working local install with no variables at all', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      dataDir: '/srv/app/data',
      embeddedTemporal: true,
      temporalAddress: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_UI_PORT: 8233,
      TWILIO_API_BASE_URL: 'https://api.twilio.com',
      CHANNEL_PROVIDER: 'local',
      WEBHOOK_VALIDATION: true,
      EXECUTION_RETENTION_DAYS: 30,
      HTTP_BLOCK_PRIVATE: false,
    });
  });

  it('derives PUBLIC_URL from PORT and uses an external Temporal when asked', () => {
    const config = loadConfig({ PORT: '8080', TEMPORAL_ADDRESS: 'temporal:7233', PUBLIC_URL: 'https://studio.example.com/', WEBHOOK_VALIDATION: 'false' });
    expect(config.publicUrl).toBe('https://studio.example.com');
    expect(config.embeddedTemporal).toBe(false);
    expect(config.temporalAddress).toBe('temporal:7233');
    expect(config.WEBHOOK_VALIDATION).toBe(false);
  });

  it('binds the embedded Temporal UI to loopback whatever HOST is, unless TEMPORAL_UI_HOST says otherwise', () => {
    expect(loadConfig({}).TEMPORAL_UI_HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({ HOST: '0.0.0.0', TEMPORAL_UI_HOST: '127.0.0.1' });
    expect(loadConfig({ HOST: '0.0.0.0', TEMPORAL_UI_HOST: '0.0.0.0' }).TEMPORAL_UI_HOST).toBe('0.0.0.0');
    expect(loadConfig({ TEMPORAL_UI_HOST: '::1' }).TEMPORAL_UI_HOST).toBe('::1');
    expect(problems({ TEMPORAL_UI_HOST: 'everywhere' })).toMatch(/TEMPORAL_UI_HOST: expected an IP address to bind, e\.g\. 127\.0\.0\.1 or 0\.0\.0\.0 \(got "everywhere"\)/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', TEMPORAL_ADDRESS: '' }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: expected a port number \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT: expected a port between 1 and 65535/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL: expected an http\(s\) URL/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: expected a postgres/],
    [{ TEMPORAL_ADDRESS: 'no-port' }, /TEMPORAL_ADDRESS: expected host:port/],
    [{ CHANNEL_PROVIDER: 'carrier-pigeon' }, /CHANNEL_PROVIDER: expected local or twilio/],
    [{ WEBHOOK_VALIDATION: 'maybe' }, /WEBHOOK_VALIDATION: expected true or false/],
    [{ EXECUTION_RETENTION_DAYS: '0' }, /EXECUTION_RETENTION_DAYS: expected at least 1 day/],
    [{ TWILIO_ACCOUNT_SID: 'AC123' , TWILIO_AUTH_TOKEN: 'x'.repeat(32) }, /TWILIO_ACCOUNT_SID: expected AC followed by 32/],
    [{ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }, /set both or neither/],
    [{ TEMPORAL_UI_PORT: '7233' }, /TEMPORAL_UI_PORT: must differ from TEMPORAL_PORT/],
    [{ LIMIT_MAX_STEPS: '0' }, /LIMIT_MAX_STEPS: expected a whole number ≥ 1 \(got "0"\)/],
    [{ LIMIT_HTTP_TIMEOUT_MS: '10s' }, /LIMIT_HTTP_TIMEOUT_MS: expected a whole number ≥ 1 \(got "10s"\)/],
    [{ LIMIT_MAX_WIDGETS: '1e3' }, /LIMIT_MAX_WIDGETS: expected a whole number/],
    [{ LIMIT_MAX_SUBFLOW_DEPTH: '-1' }, /LIMIT_MAX_SUBFLOW_DEPTH: expected a whole number ≥ 0/],
    [{ LIMIT_MAX_STEP: '5' }, /LIMIT_MAX_STEP: not a known limit/],
  ])('names the variable in error for %j', (env, message) => {
    expect(problems(env)).toMatch(message);
  });

  it('reports every bad variable at once', () => {
    const message = problems({ PORT: 'x', LOG_LEVEL: 'loud' });
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/LOG_LEVEL/);
  });
});

describe('resolveCredentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates an account once, stores it privately and finds it again', () => {
    const config = loadConfig({ DATA_DIR: dir });
    const first = resolveCredentials(config);
    expect(first.source).toBe('generated');
    expect(first.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(first.authToken).toMatch(/^[0-9a-f]{32}$/);
    const file = path.join(dir, 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveCredentials(config)).toEqual({ ...first, source: 'stored' });
    expect(fs.readdirSync(dir)).toEqual(['credentials.json']);
  });

  it('prefers the environment', () => {
    const sid = `AC${'a'.repeat(32)}`;
    const config = loadConfig({ DATA_DIR: dir, TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'b'.repeat(32) });
    expect(resolveCredentials(config)).toEqual({ accountSid: sid, authToken: 'b'.repeat(32), source: 'environment' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a damaged credentials file instead of silently replacing the account', () => {
    fs.writeFileSync(path.join(dir, 'credentials.json'), '{"accountSid": "nope"}');
    expect(() => resolveCredentials(loadConfig({ DATA_DIR: dir }))).toThrow(/not a valid credentials file/);
  });
});

describe('limits from the environment', () => {
  it("keeps Studio's defaults when nothing is set", () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_ALL_LIMITS);
    expect(DEFAULT_ALL_LIMITS.engine).toMatchObject({ maxSteps: 1000, maxSameWidgetInARow: 10, maxRenderedChars: 16_384, httpTimeoutMs: 10_000, httpMaxResponseBytes: 65_536 });
    expect(changedLimits(DEFAULT_ALL_LIMITS)).toEqual([]);
  });

  it('names one variable per limit, each distinct', () => {
    const variables = limitVariables();
    expect(new Set(variables.map((v) => v.variable)).size).toBe(variables.length);
    expect(variables.map((v) => v.variable)).toEqual(
      expect.arrayContaining(['LIMIT_MAX_STEPS', 'LIMIT_MAX_SAME_WIDGET_IN_A_ROW', 'LIMIT_MAX_RENDERED_CHARS', 'LIMIT_HTTP_TIMEOUT_MS', 'LIMIT_MAX_SUBFLOW_DEPTH', 'LIMIT_MAX_WIDGETS', 'LIMIT_MAX_CONTACT_BYTES', 'LIMIT_VOICE_DEADLINE_MS']),
    );
  });

  it('sets each group from its variables and lists what changed', () => {
    const { limits } = loadConfig({ LIMIT_MAX_STEPS: '2000', LIMIT_MAX_SUBFLOW_DEPTH: '0', LIMIT_MAX_WIDGETS: ' 50 ', LIMIT_MAX_PARAMETERS_BYTES: '1024', LIMIT_VOICE_MAX_POLLS: '5' });
    expect(limits.engine).toEqual({ ...DEFAULT_ALL_LIMITS.engine, maxSteps: 2000, maxSubflowDepth: 0 });
    expect(limits.flow).toEqual({ ...DEFAULT_ALL_LIMITS.flow, maxWidgets: 50 });
    expect(limits.execution).toEqual({ ...DEFAULT_ALL_LIMITS.execution, maxParametersBytes: 1024 });
    expect(limits.voice).toEqual({ ...DEFAULT_ALL_LIMITS.voice, maxPolls: 5 });
    expect(changedLimits(limits)).toEqual(['LIMIT_MAX_STEPS=2000', 'LIMIT_MAX_SUBFLOW_DEPTH=0', 'LIMIT_MAX_WIDGETS=50', 'LIMIT_MAX_PARAMETERS_BYTES=1024', 'LIMIT_VOICE_MAX_POLLS=5']);
  });
});

describe('the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

  it('documents every variable and every limit with its default', () => {
    for (const variable of CONFIG_VARIABLES) expect(readme).toContain(`\`${variable}\``);
    for (const limit of limitVariables()) expect(readme).toContain(`| \`${limit.variable}\` | \`${limit.default}\` |`);
  });
});
