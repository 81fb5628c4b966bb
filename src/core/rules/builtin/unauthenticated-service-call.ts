// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unauthenticated-service-call` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'unauthenticated-service-call',
  title: 'Unauthenticated call between services in different boundaries',
  categories: ['spoofing'],
  appliesTo: ['flow'],
  when: 'connects two processes in different boundaries (not from a less trusted zone), and neither the flow nor the receiver authenticates the sender',
  condition: {
    all: [
      { attribute: 'crosses_boundary', equals: true },
      { attribute: 'from_less_trusted', equals: false },
      { from: { attribute: 'type', equals: 'process' } },
      { to: { attribute: 'type', equals: 'process' } },
      { not: { attribute: 'authenticated', equals: true } },
      { not: { to: { attribute: 'authenticates', equals: true } } },
    ],
  },
  likelihood: 'low',
  impact: 'high',
  explanation: 'Network location is not identity. Once any workload in the source boundary is compromised, it can call the receiver as if it were the legitimate service, and move laterally.',
  mitigations: [
    'Authenticate service-to-service calls (mTLS with workload identities, signed service tokens) and state `authenticated: true`.',
  ],
  refs: ['CWE-306', 'CWE-290', 'T1021'],
  source: 'builtin',
};
