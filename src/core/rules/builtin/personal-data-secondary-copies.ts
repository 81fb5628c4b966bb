// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules personal-data-secondary-copies` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'personal-data-secondary-copies',
  title: 'Personal data copied into caches, queues or indexes',
  categories: ['data-disclosure', 'unawareness'],
  appliesTo: ['store'],
  when: 'is a cache, queue or search index holding personal data',
  condition: {
    all: [
      { attribute: 'kind', in: ['cache', 'queue', 'search'], if_unknown: false },
      { data: { attribute: 'personal', equals: true } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Secondary copies are easy to forget: erasure and retention applied to the system of record do not reach them, and search indexes make personal data easier to find and combine.',
  mitigations: [
    'Propagate deletions and corrections to caches and indexes; bound their time to live.',
    'Index or cache only the fields needed, pseudonymised where possible.',
  ],
  refs: ['https://linddun.org/threat-types/'],
  source: 'builtin',
};
