import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveCredentials } from '../../src/config/credentials';
import { ConfigError, loadConfig } from '../../src/config/env';

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
