// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules malicious-file-upload` prints it.
import type { RuleDefinition } from '../types.ts';
import { UNTRUSTED_INPUT } from '../fragments.ts';

export const rule: RuleDefinition = {
  id: 'malicious-file-upload',
  title: 'Malicious files',
  categories: ['tampering', 'elevation-of-privilege', 'denial-of-service'],
  appliesTo: ['process'],
  when: 'parses files that cross a trust boundary or originate in an untrusted zone',
  condition: {
    all: [
      { attribute: 'parses', equals: 'files', if_unknown: false },
      UNTRUSTED_INPUT,
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'Uploaded or received files exploit decoders (images, documents, archives), smuggle active content (SVG, HTML, polyglots) to other users, or exhaust resources (decompression bombs, pixel floods).',
  mitigations: [
    'Check the real type by content (magic bytes) against an allow-list and limit size and dimensions before decoding.',
    'Decode in a sandbox with resource limits; re-encode rather than pass files through; serve user files from a separate origin.',
  ],
  refs: ['CWE-434', 'CWE-409', 'CAPEC-17', 'A06:2025'],
  source: 'builtin',
};
