// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules audit-log-not-preserved` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'audit-log-not-preserved',
  title: 'Audit log can be lost or erased',
  categories: ['repudiation', 'tampering'],
  appliesTo: ['store'],
  when: 'is a log store with no stated backup or copy kept apart from the systems it records',
  condition: { all: [{ attribute: 'kind', equals: 'log' }, { not: { attribute: 'backed_up', equals: true } }] },
  likelihood: 'low',
  impact: 'medium',
  explanation: 'An attacker who gains control covers their tracks by deleting logs, and an outage can do the same by accident. A log kept only where it is written cannot prove who did what afterwards.',
  mitigations: [
    'Ship log entries to a separate, append-only or write-once store (object lock, WORM) that the writers cannot delete from, and state `backed_up: true`.',
    'Alert when log shipping stops.',
  ],
  refs: ['CWE-778', 'T1070', 'A09:2025'],
  source: 'builtin',
};
