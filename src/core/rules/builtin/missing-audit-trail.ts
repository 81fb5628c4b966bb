// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules missing-audit-trail` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'missing-audit-trail',
  title: 'Security-relevant actions leave no audit trail',
  categories: ['repudiation'],
  appliesTo: ['process'],
  when: 'handles credentials, writes to a store or runs privileged, and is not stated to write an audit trail',
  condition: {
    all: [
      { not: { attribute: 'logs', equals: true } },
      {
        any: [
          { data: { attribute: 'credentials', equals: true } },
          { outbound: { to: { attribute: 'type', equals: 'store' } } },
          { attribute: 'privileged', equals: true, if_unknown: false },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation:
    'Without a record of who did what and when, a user or an operator can deny an action, and an incident cannot be investigated. Processes that use credentials, change stored data or hold privileges are where such records matter most. ' +
    'Every flow from the process to a store counts as a write. Format v1 says which way data moves, not whether a call reads or writes, and the usual drawing of a database connection, a bidirectional flow from the process (a request and its response), is the same for a query and for an insert; counting only one-way flows would silence every process drawn that way. A process that only reads a store answers the finding with a `not_applicable` entry saying so.',
  mitigations: [
    'Write an audit event for each security-relevant action (who, what, when, from where, outcome) to a store the process cannot rewrite, and state `logs: true`.',
    'Synchronise clocks and carry a request ID across services so events can be correlated.',
  ],
  refs: ['CWE-778', 'A09:2025'],
  source: 'builtin',
};
