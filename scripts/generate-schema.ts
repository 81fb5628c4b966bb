// Writes schema/threatmark-v1.schema.json from the validator's zod schema.
// `npm run schema`; a test fails when the committed file is out of date.
import { writeFile } from 'node:fs/promises';
import { jsonSchema } from '../src/core/json-schema.ts';

const target = new URL('../schema/threatmark-v1.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(jsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
