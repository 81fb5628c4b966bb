// Model ids are unique across all models of a site (they become page URLs).
import type { ProjectCheck } from './types.ts';

export const duplicateModelIdCheck: ProjectCheck = {
  rules: [
    {
      id: 'duplicate-model-id',
      severity: 'error',
      title: 'Two models have the same id',
      description: 'Model ids are unique across all models of a site: each becomes a page URL and prefixes finding ids.',
      help: 'Give one of the models another `id` (ids default to the file name).',
    },
  ],
  checkProject(entries) {
    const byId = new Map<string, typeof entries>();
    for (const entry of entries) {
      const list = byId.get(entry.model.id) ?? [];
      list.push(entry);
      byId.set(entry.model.id, list);
    }
    for (const [id, list] of byId) {
      if (list.length < 2) continue;
      for (const entry of list) {
        const others = list.filter((e) => e !== entry).map((e) => e.file.path);
        const how = entry.explicitId ? '' : ' (derived from the file name)';
        entry.report('duplicate-model-id', `model id \`${id}\`${how} is also used by ${others.join(', ')}`, entry.explicitId ? ['id'] : entry.file.fenceRange, { subject: id });
      }
    }
  },
};
