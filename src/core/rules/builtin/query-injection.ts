// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules query-injection` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'query-injection',
  title: 'Injection into database or search queries',
  categories: ['tampering', 'information-disclosure'],
  appliesTo: ['process'],
  when: 'builds SQL, NoSQL or search queries while untrusted input can reach it',
  condition: {
    all: [
      {
        any: [
          { attribute: 'parses', equals: 'sql', if_unknown: false },
          { outbound: { to: { attribute: 'kind', in: ['sql', 'nosql', 'search'], if_unknown: false } } },
        ],
      },
      { attribute: 'reachable_from_untrusted', equals: true },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'When input is concatenated into a query, it changes the query: reading other users\' data, bypassing checks, modifying or deleting records.',
  mitigations: [
    'Use parameterized queries or a query builder for every query; never concatenate input into query text.',
    'Give the process a database role limited to the tables and operations it needs.',
  ],
  refs: ['CWE-89', 'CWE-943', 'CAPEC-66', 'A05:2025'],
  source: 'builtin',
};
