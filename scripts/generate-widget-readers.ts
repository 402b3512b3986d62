import fs from 'node:fs';
import path from 'node:path';
import { GENERATED_READERS_PATH, widgetReadersSource } from './widget-readers';

/** `npm run generate:widgets`: writes the engine's property readers from the widget specs. */
const target = path.resolve(__dirname, '..', '..', GENERATED_READERS_PATH);
fs.writeFileSync(target, widgetReadersSource());
console.log(`wrote ${GENERATED_READERS_PATH}`);
