// Threat references must be identifiers of a known catalogue or http(s) URLs.
import { suggestRef } from '../refs.ts';
import type { ModelCheck } from './types.ts';

export const refsCheck: ModelCheck = {
  rules: [
    {
      id: 'invalid-ref',
      severity: 'error',
      title: 'A reference is not a recognised identifier or URL',
      description: 'References are CWE-287, CAPEC-151, ATT&CK T1190 / T1059.001, ATLAS AML.T0051, OWASP Top 10 A01:2025, ASVS v5.0.0-1.2.5, or an http(s) URL, so they can be linked and searched.',
      help: 'Write the identifier in its canonical form (the message suggests one when it can), or use a URL.',
    },
  ],
  check({ model, report }) {
    for (const threat of model.threats) {
      threat.refs.forEach((ref, index) => {
        if (ref.kind !== 'unknown') return;
        const suggestion = suggestRef(ref.id);
        report(
          'invalid-ref',
          `\`${ref.id}\` is not a CWE, CAPEC, ATT&CK, ATLAS, OWASP Top 10 or ASVS id, nor an http(s) URL${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          ['threats', threat.id, 'refs', index],
          { subject: threat.id },
        );
      });
    }
  },
};
