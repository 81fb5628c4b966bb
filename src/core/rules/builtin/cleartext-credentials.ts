// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules cleartext-credentials` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'cleartext-credentials',
  title: 'Credentials in clear text inside a zone',
  categories: ['information-disclosure', 'spoofing'],
  appliesTo: ['flow'],
  when: 'carries credentials without encryption in transit inside one zone',
  condition: {
    all: [
      { attribute: 'crosses_boundary', equals: false },
      { not: { attribute: 'transport_encrypted', equals: true } },
      { data: { attribute: 'credentials', equals: true } },
    ],
  },
  likelihood: 'low',
  impact: 'high',
  explanation: 'Inside a network zone, clear-text credentials are one foothold away from theft: anyone who compromises a neighbouring host or a network device can sniff and replay them, and move laterally with them.',
  mitigations: [
    'Encrypt the flow (TLS, mTLS from a service mesh) and state `encrypted: true`.',
    'Prefer short-lived, audience-bound credentials so a sniffed one is of little use.',
  ],
  refs: ['CWE-523', 'CWE-319', 'T1040'],
  source: 'builtin',
};
