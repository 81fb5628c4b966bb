// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules ml-model-manipulation` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'ml-model-manipulation',
  title: 'Adversarial or poisoned input to a machine-learning model',
  categories: ['tampering'],
  appliesTo: ['process'],
  when: 'is a machine-learning model that receives data untrusted input can reach',
  condition: {
    all: [
      { attribute: 'ai', equals: 'ml-model', if_unknown: false },
      { inbound: { from: { attribute: 'reachable_from_untrusted', equals: true } } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Inputs crafted against a model evade or skew its decisions (adversarial examples); data it learns or is tuned from can be poisoned to plant backdoors or biases.',
  mitigations: [
    'Validate and bound model inputs; monitor the output distribution for drift.',
    'Keep provenance of training and tuning data; exclude or review untrusted contributions before they are learned.',
  ],
  refs: ['AML.T0015', 'AML.T0043', 'AML.T0020'],
  source: 'builtin',
};
