// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules unauthenticated-entry` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'unauthenticated-entry',
  title: 'Unauthenticated input from a less trusted zone',
  categories: ['spoofing'],
  appliesTo: ['flow'],
  when: 'carries input from a less trusted zone into a process, and neither the flow nor the receiving process authenticates the sender',
  condition: {
    all: [
      { attribute: 'from_less_trusted', equals: true },
      { to: { attribute: 'type', equals: 'process' } },
      { not: { attribute: 'authenticated', equals: true } },
      { not: { to: { attribute: 'authenticates', equals: true } } },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation:
    'Whoever can reach the flow can claim to be the legitimate sender. Input that crosses into a more trusted zone without proof of origin lets an attacker act as a user, a partner system or another service. ' +
    'Format v1 draws flows in the direction data moves and cannot tell a request sent to the process from a download the process starts or the response to its own call (the return direction of a bidirectional flow). All of them count, on purpose: a spoofed registry, mirror or API that answers the process is as much a spoofing threat as a spoofed caller. For a download or a response, state `authenticated: true` on the flow when the answering end is verified (TLS with certificate validation, signed or hash-pinned content).',
  mitigations: [
    'Authenticate the sender on the flow (mTLS, signed tokens, HMAC-signed webhooks) or in the receiving process, and state `authenticated: true` or `authenticates: true`.',
    'If the endpoint is public by design, record that with a `not_applicable` entry for this rule and say what protects it instead.',
  ],
  refs: ['CWE-306', 'CAPEC-115', 'A07:2025'],
  source: 'builtin',
};
