// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules sensitive-data-in-logs` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'sensitive-data-in-logs',
  title: 'Credentials or personal data written to logs',
  categories: ['information-disclosure', 'data-disclosure'],
  appliesTo: ['store'],
  when: 'is a log store that receives credentials or personal data',
  condition: {
    all: [
      { attribute: 'kind', equals: 'log' },
      {
        any: [
          { data: { attribute: 'credentials', equals: true } },
          { data: { attribute: 'personal', equals: true } },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Logs are read by many people and tools, copied to other systems and kept long. Secrets in logs become usable by everyone with log access; personal data in logs escapes the retention and access rules of the system of record.',
  mitigations: [
    'Redact credentials and minimise personal data before logging (allow-list the fields that are logged).',
    'Restrict log access and set a retention period that matches the data\'s purpose.',
  ],
  refs: ['CWE-532', 'A09:2025'],
  source: 'builtin',
};
