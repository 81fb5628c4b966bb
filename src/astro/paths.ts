/** A site-internal URL under Astro's base (`import.meta.env.BASE_URL`). */
export function withBase(base: string, path: string): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return prefix + path.replace(/^\/+/, '');
}

export function modelPath(id: string): string {
  return `models/${encodeURIComponent(id)}/`;
}

/** Anchor ids on a model page. Ids in format v1 are `[A-Za-z0-9._-]`, so they are used as written. */
export const anchors = {
  threat: (id: string) => `threat-${id}`,
  element: (id: string) => `element-${id}`,
  flow: (id: string) => `flow-${id}`,
  data: (id: string) => `data-${id}`,
  boundary: (id: string) => `boundary-${id}`,
};
