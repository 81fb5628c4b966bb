// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules personal-data-retention` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'personal-data-retention',
  title: 'Personal data kept longer than needed or beyond erasure',
  categories: ['data-disclosure', 'unawareness'],
  appliesTo: ['store'],
  when: 'stores personal data as a system of record',
  condition: {
    all: [
      { data: { attribute: 'personal', equals: true } },
      { not: { attribute: 'kind', in: ['cache', 'queue', 'search', 'log'], if_unknown: false } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Personal data that outlives its purpose is exposure without benefit, and a person\'s requests to access, correct or erase their data must reach every record held about them.',
  mitigations: [
    'Define a retention period per data category and delete or anonymise automatically when it ends.',
    'Support access, rectification and erasure requests for this store, and test them.',
  ],
  refs: ['https://linddun.org/threat-types/', 'https://gdpr-info.eu/art-5-gdpr/'],
  source: 'builtin',
};
