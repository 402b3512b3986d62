import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TEMPORAL_SERVER_VERSION } from '../../src/temporal/server-binary';
import { TEMPORAL_UI_VERSION } from '../../src/temporal/ui-binary';

/** docker-compose.yml and `npm run cluster` run the same Temporal releases (the README maps the two). */
describe('docker-compose.yml and npm run cluster', () => {
  const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8')) as { services: Record<string, { image?: string }> };
  const images = Object.values(compose.services).map((s) => s.image ?? '');

  it('pin the Temporal server and its admin tools to TEMPORAL_SERVER_VERSION', () => {
    expect(images).toContain(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    expect(images).toContain(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
  });

  it('pin the UI to TEMPORAL_UI_VERSION', () => {
    expect(images).toContain(`temporalio/ui:${TEMPORAL_UI_VERSION}`);
  });
});
