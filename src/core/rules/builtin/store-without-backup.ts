// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules store-without-backup` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'store-without-backup',
  title: 'Durable store without a backup',
  categories: ['denial-of-service', 'tampering'],
  appliesTo: ['store'],
  when: 'is a durable store (database, object, file, search or secrets store) with no stated backup',
  condition: {
    all: [
      { not: { attribute: 'backed_up', equals: true } },
      { attribute: 'kind', in: ['sql', 'nosql', 'object', 'file', 'search', 'secrets'] },
    ],
  },
  likelihood: 'low',
  impact: 'high',
  explanation: 'Deletion by mistake or malice, corruption, and ransomware destroy data that exists in one place only. Without a backup kept apart from the store\'s own credentials, recovery is impossible.',
  mitigations: [
    'Back up to a separate account or location with its own credentials, test restores, and state `backed_up: true`.',
    'If the store can be rebuilt from another source, record that with a `not_applicable` entry and the source.',
  ],
  refs: ['T1485', 'T1486', 'T1490'],
  source: 'builtin',
};
