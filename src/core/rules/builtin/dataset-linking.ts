// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules dataset-linking` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'dataset-linking',
  title: 'Personal data from several sources combined',
  categories: ['linking', 'identifying'],
  appliesTo: ['process'],
  when: 'receives personal data from two or more stores or external sources and can combine them',
  condition: {
    inbound: {
      all: [
        { data: { attribute: 'personal', equals: true } },
        { from: { attribute: 'type', in: ['store', 'external'] } },
      ],
    },
    at_least: 2,
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Joining data sets reveals more about a person than each set alone, and can re-identify pseudonymous records. Linking is often the purpose of the process, which is exactly why it needs a justification and limits.',
  mitigations: [
    'Combine only the attributes the purpose needs; keep pseudonymous identifiers separate per purpose.',
    'Document the purpose of the combination and who can query the result.',
  ],
  refs: ['https://linddun.org/threat-types/'],
  source: 'builtin',
};
