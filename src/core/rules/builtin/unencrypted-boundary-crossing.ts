// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unencrypted-boundary-crossing` prints it.
import type { RuleDefinition } from '../types.ts';
import { SENSITIVE_OR_PERSONAL_DATA } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'unencrypted-boundary-crossing',
  title: 'Data crosses a trust boundary without encryption',
  categories: ['tampering', 'information-disclosure'],
  appliesTo: ['flow'],
  when: 'crosses a trust boundary without encryption in transit while carrying sensitive or personal data or touching an untrusted zone',
  condition: {
    all: [
      { attribute: 'crosses_boundary', equals: true },
      { not: { attribute: 'transport_encrypted', equals: true } },
      {
        any: [
          ...SENSITIVE_OR_PERSONAL_DATA,
          { from: { attribute: 'trust', equals: 'untrusted' } },
          { to: { attribute: 'trust', equals: 'untrusted' } },
        ],
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Whoever sits on the network between two zones can read and alter what crosses it in clear text: credentials, confidential data, or commands that the receiver trusts.',
  mitigations: [
    'Use TLS 1.2+ (or mTLS between services) on the flow and state `encrypted: true`.',
    'Do not send credentials or confidential data over channels you cannot encrypt; tunnel them instead.',
  ],
  refs: ['CWE-319', 'CAPEC-157', 'T1557', 'A04:2025'],
  source: 'builtin',
};
