// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules audit-trail-attributes-individuals` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'audit-trail-attributes-individuals',
  title: 'Audit trail attributes actions to individuals',
  categories: ['non-repudiation'],
  appliesTo: ['process'],
  when: 'writes an audit trail while handling personal data, so actions can be tied to people',
  condition: {
    all: [
      { attribute: 'logs', equals: true, if_unknown: false },
      { data: { attribute: 'personal', equals: true } },
    ],
  },
  likelihood: 'low',
  impact: 'medium',
  explanation: 'Logs that make actions undeniable for security are, from the person\'s side, a record that can be held against them (LINDDUN non-repudiation). Who can read the trail, for what purpose and for how long needs to be decided.',
  mitigations: [
    'Log pseudonymous identifiers where the purpose allows; restrict and audit access to the audit trail.',
    'Set a retention period and tell people what is recorded about them.',
  ],
  refs: ['https://linddun.org/threat-types/'],
  source: 'builtin',
};
