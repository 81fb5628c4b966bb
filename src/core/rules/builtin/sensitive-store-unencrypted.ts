// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules sensitive-store-unencrypted` prints it.
import type { RuleDefinition } from '../types.ts';
import { SENSITIVE_OR_PERSONAL_DATA } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'sensitive-store-unencrypted',
  title: 'Sensitive or personal data stored without encryption at rest',
  categories: ['information-disclosure', 'data-disclosure'],
  appliesTo: ['store'],
  when: 'holds credentials, confidential, restricted or personal data and is not stated to be encrypted at rest',
  condition: {
    all: [
      { not: { attribute: 'encrypted', equals: true } },
      {
        any: [
          ...SENSITIVE_OR_PERSONAL_DATA,
        ],
      },
    ],
  },
  likelihood: 'low',
  impact: 'high',
  explanation: 'Disks, snapshots, backups and replicas leave the store\'s access control behind. Without encryption at rest, anyone who obtains one of them (a stolen snapshot, a decommissioned disk, a misplaced backup) reads the data.',
  mitigations: [
    'Encrypt at rest with keys held in a KMS or HSM, separate from the data, and state `encrypted: true`.',
    'Encrypt backups and snapshots too, and restrict who can export them.',
  ],
  refs: ['CWE-311', 'CWE-312', 'T1530', 'A04:2025'],
  source: 'builtin',
};
