// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules personal-data-in-ai-context` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'personal-data-in-ai-context',
  title: 'Personal data processed by an AI model',
  categories: ['data-disclosure', 'non-compliance', 'unawareness'],
  appliesTo: ['process'],
  when: 'is an AI component that processes personal data',
  condition: {
    all: [
      { attribute: 'ai', in: ['llm', 'agent', 'rag', 'ml-model'], if_unknown: false },
      { data: { attribute: 'personal', equals: true } },
    ],
  },
  likelihood: 'medium',
  impact: 'medium',
  explanation: 'Personal data in prompts, embeddings or training sets is hard to delete, can be memorised and reproduced, and may go to a model provider. Processing it needs a purpose, a legal basis and the person\'s awareness.',
  mitigations: [
    'Minimise and pseudonymise personal data before it reaches the model; exclude it from training and tuning unless there is a basis.',
    'Check the provider\'s retention and training terms; tell people that an AI processes their data.',
  ],
  refs: ['AML.T0057', 'https://linddun.org/threat-types/'],
  source: 'builtin',
};
