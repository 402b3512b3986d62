import fs from 'node:fs';
import path from 'node:path';
import { FLOWTEST_SCHEMA_PATH, flowTestJsonSchema } from '../src/flowtest/json-schema';

/** `npm run generate:schemas`: writes the JSON Schema of flow test files from their zod schema. */
const target = path.resolve(__dirname, '..', '..', FLOWTEST_SCHEMA_PATH);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, flowTestJsonSchema());
console.log(`wrote ${FLOWTEST_SCHEMA_PATH}`);
