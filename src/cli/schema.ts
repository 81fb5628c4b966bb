// `threatmark schema`: the JSON Schema of the frontmatter, for editors.
import { jsonSchema } from '../core/json-schema.ts';
import { parse, type Command } from './args.ts';

export const schemaCommand: Command = {
  help: `Usage: threatmark schema

Print the JSON Schema (draft 2020-12) of format v1's frontmatter, generated from
the same definitions the checker validates with. The repository ships it as
schema/threatmark-v1.schema.json.
`,
  async run(argv, io) {
    parse(argv, {}, false);
    io.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
    return 0;
  },
};
