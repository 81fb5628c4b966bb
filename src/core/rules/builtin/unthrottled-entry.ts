// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unthrottled-entry` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'unthrottled-entry',
  title: 'Entry point from a less trusted zone without rate limits',
  categories: ['denial-of-service'],
  appliesTo: ['process'],
  when: 'receives input from a less trusted zone and is not stated to bound request rate and size',
  condition: {
    all: [
      { attribute: 'ai', present: false },
      { not: { attribute: 'rate_limited', equals: true } },
      { inbound: { attribute: 'from_less_trusted', equals: true } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Anyone in the less trusted zone can send more and larger requests than the process can handle, starving legitimate users or running up costs.',
  mitigations: [
    'Bound request rate, concurrency and body size per caller at the entry point (or in front of it), and state `rate_limited: true`.',
    'Set timeouts and queue limits so overload degrades instead of cascading.',
  ],
  refs: ['CWE-770', 'CAPEC-125', 'T1499'],
  source: 'builtin',
};
