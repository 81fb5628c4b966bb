// `not_applicable` entries must say what they exclude and must exclude something.
import { CATEGORY_LABELS } from '../methodology.ts';
import type { ModelCheck } from './types.ts';

export const exclusionsCheck: ModelCheck = {
  rules: [
    {
      id: 'unused-exclusion',
      severity: 'warning',
      title: 'A coverage exclusion excludes nothing',
      description: 'The entry names no category that applies to its targets and is not already answered by a threat, so it changes nothing; it is probably stale or misdirected.',
      help: 'Remove the entry, or correct its targets or categories.',
    },
    {
      id: 'empty-exclusion',
      severity: 'error',
      title: 'A coverage exclusion names neither categories nor rules',
      description: 'A `not_applicable` entry needs `categories` (coverage) or `rules` (generated findings) to say what does not apply.',
      help: 'Add `categories:` or `rules:` to the entry.',
    },
  ],
  check({ model, data, report }) {
    const rawList = Object.hasOwn(data, 'not_applicable') && Array.isArray(data.not_applicable) ? (data.not_applicable as unknown[]) : [];
    const rows = new Map(model.coverage.rows.map((r) => [r.target, r]));
    model.notApplicable.forEach((entry, index) => {
      const raw = rawList[index] as Record<string, unknown> | undefined;
      const hasCategories = raw !== undefined && Object.hasOwn(raw, 'categories');
      const hasRules = raw !== undefined && Object.hasOwn(raw, 'rules');
      if (!hasCategories && !hasRules) {
        report('empty-exclusion', 'this exclusion names neither `categories` nor `rules`', ['not_applicable', index], { subject: `not_applicable[${index}]` });
        return;
      }
      if (entry.categories.length === 0) return;
      const excludesSomething = entry.targets.some((target) => {
        const row = rows.get(target);
        return row?.cells.some((cell) => entry.categories.includes(cell.category) && cell.state === 'excluded') ?? false;
      });
      if (!excludesSomething) {
        const categories = entry.categories.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ');
        report(
          'unused-exclusion',
          `this exclusion of ${categories} on ${entry.targets.map((t) => `\`${t}\``).join(', ')} excludes nothing: the categories do not apply there, the targets are out of scope, or threats already answer them`,
          ['not_applicable', index],
          { subject: `not_applicable[${index}]` },
        );
      }
    });
  },
};
