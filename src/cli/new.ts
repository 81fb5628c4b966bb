// `threatmark new ID`: a draft model, structured around the four questions,
// that passes `check` as it is and shows where each part goes.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { todayUtc } from '../core/dates.ts';
import { MODEL_ID_PATTERN } from '../core/schema.ts';
import { parse, UsageError, type Command } from './args.ts';

export const newCommand: Command = {
  help: `Usage: threatmark new ID [options]

Create a draft threat model ID.md (or ID.threat.md beside code) that passes
\`threatmark check\` and guides you through the four questions.

Options:
  --dir DIR       folder to create it in (default: threat-models)
  --title TEXT    the model's title (default: from the id)
  --owner TEXT    team or person accountable (default: @owner)
  --beside-code   name the file ID.threat.md (for models kept next to code)
  --force         overwrite an existing file
  -h, --help      show this help
`,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      dir: { type: 'string' },
      title: { type: 'string' },
      owner: { type: 'string' },
      'beside-code': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const [id, extra] = positionals;
    if (!id) throw new UsageError('give the new model an id, e.g. `threatmark new checkout-service`');
    if (extra !== undefined) throw new UsageError(`one id at a time (got \`${id}\` and \`${extra}\`)`);
    if (!MODEL_ID_PATTERN.test(id)) throw new UsageError(`\`${id}\` is not a valid model id: use lower-case letters, digits and "-", e.g. \`${id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-service'}\``);
    const dir = resolve(values.dir ?? 'threat-models');
    const file = join(dir, values['beside-code'] ? `${id}.threat.md` : `${id}.md`);
    if (existsSync(file) && !values.force) {
      io.stderr.write(`threatmark new: ${relative(process.cwd(), file)} already exists (use --force to overwrite)\n`);
      return 1;
    }
    const title = values.title ?? id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
    await mkdir(dir, { recursive: true });
    await writeFile(file, scaffold(id, title, values.owner ?? '@owner'));
    io.stdout.write(`Created ${relative(process.cwd(), file) || file}\nNext: describe the system, then run \`threatmark check ${relative(process.cwd(), file)}\`.\n`);
    return 0;
  },
};

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export function scaffold(id: string, title: string, owner: string, today = todayUtc()): string {
  return `---
threatmark: 1
id: ${id}
title: ${yamlString(title)}
summary: One line on what this system does and why it matters.
owner: ${yamlString(owner)}
status: draft
# reviewed: ${today}      # required once the status is approved
# covers: [src/${id}/**]   # the code this model describes
methodologies: [stride]   # add linddun when the system handles personal data
assumptions:
  - Replace with what you take for granted (e.g. "TLS terminates at the load balancer").

# What are we working on? Data, trust boundaries, elements and the flows between them.
data:
  request: { title: Request data, classification: internal }
boundaries:
  internet: { title: Internet, trust: untrusted }
  internal: { title: Internal network, trust: trusted }
elements:
  user: { type: external, title: User, human: true, boundary: internet }
  service: { type: process, title: ${yamlString(title)}, boundary: internal }
flows:
  user-request: { from: user, to: service, title: Request, protocol: HTTPS, encrypted: true, data: [request] }

# What can go wrong? One entry per threat; the checker lists the STRIDE categories still unanswered.
threats:
  T-1:
    title: Someone calls the service as another user
    category: spoofing
    targets: [service, user]
    likelihood: medium
    impact: medium
    status: open
    description: Replace with a threat you actually expect.

# Categories that do not apply to an element, and why.
not_applicable: []
---

## What are we working on?

Describe the system, its users and what it must protect. The diagram and the
tables on the site are generated from the frontmatter above.

## What can go wrong?

Run \`threatmark check\`: while the model is a draft, every STRIDE category
still unanswered is a warning naming the element. Add a threat for each one,
or a \`not_applicable\` entry with the reason.

### T-1 Someone calls the service as another user

A heading that starts with a threat id attaches its prose to that threat.

## What are we going to do about it?

For each threat: mitigate it (\`status: mitigated\` with \`mitigations\`), plan
it (\`planned\` with a \`ticket\`), accept it (\`accepted\` with an owner,
rationale and expiry) or transfer it.

## Did we do a good job?

When the model is complete, have it reviewed, then set \`status: approved\`,
\`reviewed\` and \`reviewers\`.
`;
}
