// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules excessive-agency` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'excessive-agency',
  title: 'Excessive agency of an AI agent',
  categories: ['elevation-of-privilege'],
  appliesTo: ['process'],
  when: 'is an agent that acts on other elements (tools, stores, external systems) through its flows',
  condition: {
    all: [
      { attribute: 'ai', equals: 'agent', if_unknown: false },
      { outbound: { to: { attribute: 'type', in: ['process', 'store', 'external'] } } },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation: 'An agent does what its model decides, and the model can be manipulated. Every tool and permission it holds is available to an attacker who steers it; actions with side effects (payments, deletions, messages) are the damage.',
  mitigations: [
    'Give the agent only the tools and permissions the task needs, scoped to the current user (`authorizes: true` in the tools).',
    'Bound amounts and rates; require human confirmation for consequential or irreversible actions; log every tool call.',
  ],
  refs: ['AML.T0053', 'AML.T0048', 'CWE-862', 'https://genai.owasp.org/llmrisk/llm062025-excessive-agency/'],
  source: 'builtin',
};
