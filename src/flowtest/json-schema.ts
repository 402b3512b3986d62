import { z } from 'zod';
import { FlowTestFile } from './schema';

/** Where the JSON Schema of `*.flowtest.yaml` lives in the package (editors point `$schema` or yaml.schemas here). */
export const FLOWTEST_SCHEMA_PATH = 'schemas/flowtest.schema.json';

/** The JSON Schema text, generated from the zod schema the runner validates with (one source of truth). */
export function flowTestJsonSchema(): string {
  const schema = z.toJSONSchema(FlowTestFile, { io: 'input', unrepresentable: 'any' });
  const document = {
    ...schema,
    title: 'open-studio flow test file (*.flowtest.yaml)',
    description: 'Conversations with a Studio flow, run by `open-studio test`. Generated from src/flowtest/schema.ts by `npm run generate:schemas`.',
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
