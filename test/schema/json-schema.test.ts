// The shipped JSON Schema is generated from the validator's zod schema; it must
// not drift from it (regenerate with `npm run schema`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../src/core/json-schema.ts';

describe('schema/threatmark-v1.schema.json', () => {
  it('is what `npm run schema` generates from the validator', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../schema/threatmark-v1.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(shipped).toEqual(jsonSchema());
  });

  it('states the id pattern for the keys of every id section', () => {
    const properties = jsonSchema().properties as Record<string, { propertyNames?: { pattern: string } }>;
    for (const section of ['data', 'boundaries', 'elements', 'flows', 'threats']) {
      expect(properties[section]?.propertyNames?.pattern, section).toBe('^[A-Za-z0-9][A-Za-z0-9._-]*$');
    }
  });
});
