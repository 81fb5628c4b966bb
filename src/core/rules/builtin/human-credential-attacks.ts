// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules human-credential-attacks` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'human-credential-attacks',
  title: 'Credentials of people can be phished, guessed or stuffed',
  categories: ['spoofing'],
  appliesTo: ['external'],
  when: 'is a person who sends credentials or session tokens to the system',
  condition: {
    all: [
      { attribute: 'human', equals: true, if_unknown: false },
      { outbound: { data: { attribute: 'credentials', equals: true } } },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'People reuse passwords, fall for phishing pages and lose devices. Credentials or session tokens that a person handles are the cheapest way into an account: credential stuffing, brute force, phishing and session theft all start here.',
  mitigations: [
    'Offer phishing-resistant multi-factor authentication (passkeys, WebAuthn).',
    'Throttle and monitor sign-in attempts; check passwords against breached-password lists.',
    'Keep session tokens short-lived, HttpOnly, Secure and SameSite; revoke them on sign-out and password change.',
  ],
  refs: ['CWE-307', 'CWE-308', 'CAPEC-600', 'T1110', 'A07:2025'],
  source: 'builtin',
};
