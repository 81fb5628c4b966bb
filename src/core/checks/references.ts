// Every id a model mentions must exist; elements and flows share a namespace;
// boundaries nest without cycles.
import { didYouMean as suggest } from '../diagnostics.ts';
import type { ModelCheck } from './types.ts';

export const referencesCheck: ModelCheck = {
  rules: [
    {
      id: 'dangling-reference',
      severity: 'error',
      title: 'A reference names an id that does not exist',
      description: 'Boundaries, data assets, flow ends, threat targets and exclusions refer to entries by id; a misspelt id silently detaches the threat or flow from the element it was meant for.',
      help: 'Fix the id (the message suggests the closest one) or add the missing entry.',
    },
    {
      id: 'id-clash',
      severity: 'error',
      title: 'An element and a flow have the same id',
      description: 'Element and flow ids share one namespace inside a model, because threats and exclusions target either by id.',
      help: 'Rename the element or the flow.',
    },
    {
      id: 'boundary-cycle',
      severity: 'error',
      title: 'Trust boundaries nest in a cycle',
      description: 'A boundary cannot be inside itself; `parent` chains must end at a top-level boundary.',
      help: 'Remove or change one `parent` in the cycle.',
    },
    {
      id: 'self-flow',
      severity: 'error',
      title: 'A flow starts and ends at the same element',
      description: 'A data flow connects two different elements; processing inside one element is part of that element.',
      help: 'Point `to` at the receiving element, or remove the flow.',
    },
  ],
  check({ model, report }) {
    const elementIds = model.elements.map((e) => e.id);
    const flowIds = model.flows.map((f) => f.id);
    const boundaryIds = model.boundaries.map((b) => b.id);
    const dataIds = model.data.map((d) => d.id);
    const elements = new Set(elementIds);
    const flows = new Set(flowIds);
    const boundaries = new Set(boundaryIds);
    const assets = new Set(dataIds);
    const targetIds = [...elementIds, ...flowIds];

    const dangling = (kind: string, value: string, candidates: string[], path: (string | number)[]) =>
      report('dangling-reference', `${kind} \`${value}\` does not exist${suggest(value, candidates)}`, path, { subject: value });

    for (const boundary of model.boundaries) {
      if (boundary.parent !== undefined && !boundaries.has(boundary.parent)) dangling('parent boundary', boundary.parent, boundaryIds, ['boundaries', boundary.id, 'parent']);
    }
    for (const element of model.elements) {
      if (element.boundary !== undefined && !boundaries.has(element.boundary)) dangling('boundary', element.boundary, boundaryIds, ['elements', element.id, 'boundary']);
      element.data.forEach((id, i) => {
        if (!assets.has(id)) dangling('data asset', id, dataIds, ['elements', element.id, 'data', i]);
      });
      if (flows.has(element.id)) report('id-clash', `\`${element.id}\` is the id of both an element and a flow; they share one namespace`, ['elements', element.id], { part: 'key', subject: element.id });
    }
    for (const flow of model.flows) {
      for (const end of ['from', 'to'] as const) {
        if (flow[end] && !elements.has(flow[end])) {
          const hint = flows.has(flow[end]) ? ' (that is a flow; flows connect elements)' : suggest(flow[end], elementIds);
          report('dangling-reference', `element \`${flow[end]}\` does not exist${hint}`, ['flows', flow.id, end], { subject: flow[end] });
        }
      }
      if (flow.from && flow.from === flow.to) report('self-flow', `flow \`${flow.id}\` goes from \`${flow.from}\` to itself`, ['flows', flow.id, 'to'], { subject: flow.id });
      flow.data.forEach((id, i) => {
        if (!assets.has(id)) dangling('data asset', id, dataIds, ['flows', flow.id, 'data', i]);
      });
    }
    for (const threat of model.threats) {
      threat.targets.forEach((id, i) => {
        if (!elements.has(id) && !flows.has(id)) dangling('target', id, targetIds, ['threats', threat.id, 'targets', i]);
      });
    }
    model.notApplicable.forEach((entry, index) => {
      entry.targets.forEach((id, i) => {
        if (!elements.has(id) && !flows.has(id)) dangling('target', id, targetIds, ['not_applicable', index, 'targets', i]);
      });
    });

    // Report each cycle once, at the boundary of the cycle written first.
    const parentOf = new Map(model.boundaries.map((b) => [b.id, b.parent]));
    const reported = new Set<string>();
    for (const boundary of model.boundaries) {
      const chain: string[] = [];
      let current: string | undefined = boundary.id;
      while (current !== undefined && parentOf.has(current) && !chain.includes(current)) {
        chain.push(current);
        current = parentOf.get(current);
      }
      if (current === undefined || !chain.includes(current)) continue;
      const cycle = chain.slice(chain.indexOf(current));
      const key = [...cycle].sort().join('>');
      if (reported.has(key)) continue;
      reported.add(key);
      const first = model.boundaries.find((b) => cycle.includes(b.id))!;
      report('boundary-cycle', `trust boundaries nest in a cycle: ${[...cycle, cycle[0]].map((id) => `\`${id}\``).join(' → ')}`, ['boundaries', first.id, 'parent'], { subject: first.id });
    }
  },
};
