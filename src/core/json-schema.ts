// JSON Schema for editors (yaml-language-server, VS Code), generated from the
// zod schema the checker uses, so the two cannot drift.
import { z } from 'zod';
import { ID_PATTERN, ID_SECTIONS, modelSchema } from './schema.ts';

export function jsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(modelSchema(), { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  // The validator checks id keys itself (see schema.ts `idMap`); state the pattern for editors.
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const section of ID_SECTIONS) {
    const entry = properties[section];
    if (entry) entry.propertyNames = { pattern: ID_PATTERN.source };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://threatmark.dev/schema/threatmark-v1.schema.json',
    title: 'Threatmark threat model (format v1)',
    description: 'The YAML frontmatter of a Threatmark threat model.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}
