// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules log-injection` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'log-injection',
  title: 'Forged or injected log entries',
  categories: ['tampering', 'repudiation'],
  appliesTo: ['store'],
  when: 'is a log store written by elements that untrusted input reaches',
  condition: {
    all: [
      { attribute: 'kind', equals: 'log' },
      { inbound: { from: { attribute: 'reachable_from_untrusted', equals: true } } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'When attacker-controlled text ends up in log entries, line breaks and control characters can forge entries, hide real ones or attack the tools that display the log; a flood of entries can push evidence out of retention.',
  mitigations: [
    'Write structured entries (JSON fields) and encode or strip control characters in user-supplied values.',
    'Keep the log append-only for its writers and bound the volume one caller can produce.',
  ],
  refs: ['CWE-117', 'CAPEC-93', 'A09:2025'],
  source: 'builtin',
};
