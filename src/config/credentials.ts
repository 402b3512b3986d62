import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './env';

/** The account: REST API Basic credentials, webhook signing key and outbound Twilio credentials. */
export interface AccountCredentials {
  readonly accountSid: string;
  readonly authToken: string;
  /** Where they came from, for the start banner. */
  readonly source: 'environment' | 'generated' | 'stored';
}

export const CREDENTIALS_FILE = 'credentials.json';

/**
 * Takes the credentials from the environment, else from `DATA_DIR/credentials.json`, else
 * generates a Twilio-shaped pair and stores it there (mode 0600). Concurrent first starts
 * (api + worker) agree on one account.
 */
export function resolveCredentials(config: Config): AccountCredentials {
  if (config.TWILIO_ACCOUNT_SID !== undefined && config.TWILIO_AUTH_TOKEN !== undefined) {
    return { accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, source: 'environment' };
  }
  const file = path.join(config.dataDir, CREDENTIALS_FILE);
  const stored = readStored(file);
  if (stored) return { ...stored, source: 'stored' };

  fs.mkdirSync(config.dataDir, { recursive: true });
  const generated = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  // Written aside, then hard-linked into place: the link fails if another process won the
  // race, and no reader ever sees a half-written file.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
    return { ...generated, source: 'generated' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const winner = readStored(file);
    if (!winner) throw new Error(`${file} appeared while starting but cannot be read`, { cause: err });
    return { ...winner, source: 'stored' };
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function readStored(file: string): { accountSid: string; authToken: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const data = JSON.parse(text) as { accountSid?: unknown; authToken?: unknown };
  if (typeof data.accountSid !== 'string' || !/^AC[0-9a-f]{32}$/.test(data.accountSid) || typeof data.authToken !== 'string') {
    throw new Error(`${file} is not a valid credentials file; delete it to generate a new account`);
  }
  return { accountSid: data.accountSid, authToken: data.authToken };
}
