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
    for (const entry of model.notApplicable) {
      const index = entry.index;
      const raw = rawList[index];
      const isMapping = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
      const hasCategories = isMapping && Object.hasOwn(raw, 'categories');
      const hasRules = isMapping && Object.hasOwn(raw, 'rules');
      if (!hasCategories && !hasRules) {
        report('empty-exclusion', 'this exclusion names neither `categories` nor `rules`', ['not_applicable', index], { subject: `not_applicable[${index}]` });
        continue;
      }
      // Without targets or valid categories the schema check has already said what is wrong.
      if (entry.categories.length === 0 || entry.targets.length === 0) continue;
      // A target whose element type is invalid has no coverage yet: the exclusion may well apply once it is fixed.
      const elements = Object.hasOwn(data, 'elements') && data.elements && typeof data.elements === 'object' ? (data.elements as Record<string, unknown>) : {};
      const untyped = entry.targets.some((target) => {
        const raw = Object.hasOwn(elements, target) ? elements[target] : undefined;
        return raw !== null && typeof raw === 'object' && !['external', 'process', 'store'].includes((raw as Record<string, unknown>).type as string);
      });
      if (untyped) continue;
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
    }
  },
};
