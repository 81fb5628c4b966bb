// Built-in rule. The condition is data in the rules language (see ../types.ts),
// the same language custom rule files use; `threatmark rules improper-output-handling` prints it.
import type { RuleDefinition } from '../types.ts';

export const rule: RuleDefinition = {
  id: 'improper-output-handling',
  title: 'Model output used without validation',
  categories: ['tampering', 'elevation-of-privilege'],
  appliesTo: ['flow'],
  when: 'takes the output of an LLM, agent or RAG component (other than results going back into a model) to a person, or to a process that interprets it (SQL, HTML, templates, serialized data) or does not validate it',
  condition: {
    all: [
      { from: { attribute: 'ai', in: ['llm', 'agent', 'rag'], if_unknown: false } },
      {
        // Results that go back into a model are its context, not output handed to a consumer: what a RAG
        // component retrieves for it, and what a tool or agent returns to the model that called it.
        not: {
          all: [
            { to: { attribute: 'ai', in: ['llm', 'agent'], if_unknown: false } },
            { any: [{ from: { attribute: 'ai', equals: 'rag' } }, { attribute: 'return_direction', equals: true }] },
          ],
        },
      },
      {
        to: {
          any: [
            { attribute: 'human', equals: true, if_unknown: false },
            {
              all: [
                { attribute: 'type', equals: 'process' },
                {
                  any: [
                    {
                      attribute: 'parses',
                      in: ['sql', 'html', 'templates', 'serialized', 'xml', 'yaml'],
                      if_unknown: false,
                    },
                    { not: { attribute: 'validates_input', equals: true } },
                  ],
                },
              ],
            },
          ],
        },
      },
    ],
  },
  likelihood: 'medium',
  impact: 'high',
  explanation:
    'Model output is attacker-influenced text. Passed to an interpreter it becomes SQL, script or template injection; rendered to a person it can carry script, phishing links or data-exfiltrating image URLs. ' +
    'The rule follows the direction in which output leaves the model. A bidirectional flow is a request from its `from` end and the response of its `to` end, so it is checked both ways: a model answering its caller is output too. Two cases are not: passages a RAG component hands to an LLM or agent, and the response to a call an LLM or agent makes (a tool result, a retrieval) going back into it. Those become the calling model\'s context, where planted instructions are prompt injection and poisoned retrieval, both reported on the model itself; its own output is checked where it flows on. What a model sends to a retriever or a tool (a query, tool arguments) still counts.',
  mitigations: [
    'Validate model output against the expected structure before use; encode it for the context it is rendered in.',
    'Never pass model output to interpreters without parameterization; block remote images and links in rendered answers.',
  ],
  refs: ['CWE-1426', 'CWE-79', 'https://genai.owasp.org/llmrisk/llm052025-improper-output-handling/'],
  source: 'builtin',
};
