// STRIDE-per-element and LINDDUN coverage: every applicable category of every
// in-scope element and flow is answered by a threat or an exclusion.
import { CATEGORY_LABELS, isLinddun, isStride } from '../methodology.ts';
import type { Category, CoverageRow, ResolvedModel } from '../types.ts';
import type { ModelCheck, ModelCheckContext } from './types.ts';

function gaps(row: CoverageRow, which: (c: Category) => boolean): Category[] {
  return row.cells.filter((c) => c.state === 'gap' && which(c.category)).map((c) => c.category);
}

function describeTarget(model: ResolvedModel, row: CoverageRow): string {
  return row.targetKind === 'flow' ? `flow \`${row.target}\`` : `${model.elements.find((e) => e.id === row.target)?.type ?? 'element'} \`${row.target}\``;
}

function reportGaps(ctx: ModelCheckContext, rule: string, which: (c: Category) => boolean, method: string): void {
  const { model } = ctx;
  const severity = model.status === 'approved' ? 'error' : 'warning';
  for (const row of model.coverage.rows) {
    const missing = gaps(row, which);
    if (missing.length === 0) continue;
    const list = missing.map((c) => CATEGORY_LABELS[c].toLowerCase()).join(', ');
    ctx.report(
      rule,
      `${describeTarget(model, row)} has no threat or exclusion for ${list} (${method})`,
      [row.targetKind === 'flow' ? 'flows' : 'elements', row.target],
      { severity, part: 'key', subject: row.target },
    );
  }
}

export const strideCoverageCheck: ModelCheck = {
  rules: [
    {
      id: 'stride-coverage',
      severity: 'error',
      title: 'An element or flow misses a STRIDE category',
      description:
        'STRIDE-per-element: every in-scope element and flow must have, for each category that applies to its type, at least one threat (any status) or a `not_applicable` entry. Gaps are errors in approved models and warnings in drafts and models in review.',
      help: 'Add a threat that targets the element for the missing category, or a `not_applicable` entry naming the target, the category and the reason it does not apply.',
    },
  ],
  check(ctx) {
    if (ctx.model.methodologies.includes('stride')) reportGaps(ctx, 'stride-coverage', isStride, 'STRIDE-per-element');
  },
};

export const linddunCoverageCheck: ModelCheck = {
  rules: [
    {
      id: 'linddun-coverage',
      severity: 'error',
      title: 'An element or flow handling personal data misses a LINDDUN category',
      description: 'With `linddun` among the methodologies, every in-scope element and flow whose data includes a personal asset must cover the LINDDUN categories that apply to its type.',
      help: 'Add a privacy threat for the missing category, or a `not_applicable` entry with the reason.',
    },
    {
      id: 'linddun-not-enabled',
      severity: 'warning',
      title: 'The model handles personal data but does not use LINDDUN',
      description: 'A data asset is marked `personal: true`, but `linddun` is not among the methodologies, so privacy threats are not checked.',
      help: 'Add `linddun` to `methodologies` (e.g. `methodologies: [stride, linddun]`).',
    },
  ],
  check(ctx) {
    const { model } = ctx;
    if (model.methodologies.includes('linddun')) {
      reportGaps(ctx, 'linddun-coverage', isLinddun, 'LINDDUN');
      return;
    }
    const personal = model.data.find((d) => d.personal);
    if (!personal) return;
    const place = Object.hasOwn(ctx.data, 'methodologies') ? ['methodologies'] : ['data', personal.id, 'personal'];
    ctx.report('linddun-not-enabled', `data asset \`${personal.id}\` is personal, but \`linddun\` is not among the methodologies`, place, { part: Object.hasOwn(ctx.data, 'methodologies') ? 'key' : 'value', subject: personal.id });
  },
};
