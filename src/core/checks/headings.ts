// Body headings that start with a threat id attach prose to that threat; one
// that looks like a threat id but names none would silently attach nothing.
import { closest } from '../diagnostics.ts';
import { leadingToken } from '../resolve.ts';
import type { ModelCheck } from './types.ts';

/** Looks like a threat id: letters, a separator, then a number (UP-1, T.12, PAY_3a). */
const THREAT_ID_LIKE = /^[A-Za-z][A-Za-z0-9]*[-_.]\d[A-Za-z0-9._-]*$/;

export const headingsCheck: ModelCheck = {
  rules: [
    {
      id: 'unknown-heading-threat',
      severity: 'warning',
      title: 'A body heading names a threat id that does not exist',
      description: 'A heading that starts with a threat id attaches its prose to that threat; a heading naming an unknown id attaches to nothing.',
      help: 'Fix the id in the heading, or rephrase the heading so it does not start with an id.',
    },
  ],
  check({ model, file, report }) {
    const ids = model.threats.map((t) => t.id);
    const known = new Set(ids);
    for (const heading of file.headings) {
      const token = leadingToken(heading.text);
      if (!token || known.has(token) || !THREAT_ID_LIKE.test(token)) continue;
      const guess = closest(token, ids);
      report('unknown-heading-threat', `heading names threat \`${token}\`, which is not in the model${guess ? `; did you mean \`${guess}\`?` : ''}`, heading.range, { subject: token });
    }
  },
};
