// The bare baseline: read every model file and YAML-parse its frontmatter,
// nothing else. `threatmark check` is compared against this in the same run.
import { readFile } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { parse } from 'yaml';

const root = process.argv[2] ?? '.';
const files = await glob(['threat-models/**/*.md', '**/*.threat.md'], { cwd: root, absolute: true, ignore: ['**/node_modules/**'] });
let keys = 0;
for (const file of files) {
  const text = await readFile(file, 'utf8');
  const end = text.indexOf('\n---', 4);
  const data = parse(text.slice(4, end)) as Record<string, unknown>;
  keys += Object.keys(data).length;
}
process.stdout.write(`${files.length} files, ${keys} keys\n`);
