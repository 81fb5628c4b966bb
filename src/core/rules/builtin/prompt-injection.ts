// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules prompt-injection` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'prompt-injection',
  title: 'Prompt injection',
  categories: ['tampering', 'elevation-of-privilege'],
  appliesTo: ['process'],
  when: 'is an LLM, agent or RAG component (other than a retriever that only feeds models) that content from an untrusted zone can reach, directly or through stored data',
  condition: {
    all: [
      { attribute: 'ai', in: ['llm', 'agent', 'rag'], if_unknown: false },
      { attribute: 'reachable_from_untrusted', equals: true },
      {
        // A retriever that hands its results only to models (and otherwise talks only to stores):
        // the instructions in what it retrieves are followed by the model it feeds, reported there.
        not: {
          all: [
            { attribute: 'ai', equals: 'rag' },
            { outbound: { to: { attribute: 'ai', in: ['llm', 'agent'], if_unknown: false } } },
            {
              not: {
                outbound: {
                  to: {
                    all: [
                      { not: { attribute: 'ai', in: ['llm', 'agent'], if_unknown: false } },
                      { not: { attribute: 'type', equals: 'store' } },
                    ],
                  },
                },
              },
            },
          ],
        },
      },
    ],
  },
  likelihood: 'high',
  impact: 'medium',
  explanation:
    'Language models follow instructions found anywhere in their context. Text an attacker controls, typed directly or planted in documents, tickets, web pages or tool results, can override the system prompt, leak context or drive tools. ' +
    'A RAG component that sends its results only to LLMs or agents (and otherwise only queries stores) is taken to be a retriever without an instruction-following model of its own: the instructions in what it retrieves are followed by the model it feeds, which gets this finding, and the retriever gets poisoned-retrieval where its sources can be poisoned. A RAG component whose results reach a person or another service directly may generate text itself and is reported.',
  mitigations: [
    'Treat model output as untrusted: enforce authorization in tools and retrievers, not in the prompt.',
    'Separate and label untrusted content in the context; filter known injection patterns; require human approval for consequential actions.',
    'Test with direct and indirect injection payloads in CI.',
  ],
  refs: [
    'AML.T0051',
    'AML.T0051.000',
    'AML.T0051.001',
    'CWE-1427',
    'https://genai.owasp.org/llmrisk/llm01-prompt-injection/',
  ],
  source: 'builtin',
};
