// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules secrets-reachable-from-untrusted` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'secrets-reachable-from-untrusted',
  title: 'Secrets handed to a process that untrusted input reaches',
  categories: ['information-disclosure', 'elevation-of-privilege'],
  appliesTo: ['store'],
  when: 'is a secrets store read by processes that untrusted input can reach',
  condition: {
    all: [
      { attribute: 'kind', equals: 'secrets' },
      { outbound: { to: { attribute: 'reachable_from_untrusted', equals: true } } },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'A process that attackers can send input to is the most likely to be compromised; every secret it can read is then the attacker\'s too, with the access those secrets grant elsewhere.',
  mitigations: [
    'Give each process only the secrets it needs, short-lived where possible (workload identity, dynamic credentials).',
    'Keep secrets out of environment variables and logs; rotate them and alert on unusual reads.',
  ],
  refs: ['CWE-522', 'T1552', 'A07:2025'],
  source: 'builtin',
};
