// Ordering of the guides: `order` first (lower first), then title.
export interface DocLike {
  id: string;
  data: { title: string; order?: number | undefined };
}

export function sortDocs<T extends DocLike>(docs: T[]): T[] {
  return [...docs].sort(
    (a, b) =>
      (a.data.order ?? Number.MAX_SAFE_INTEGER) - (b.data.order ?? Number.MAX_SAFE_INTEGER) ||
      (a.data.title < b.data.title ? -1 : a.data.title > b.data.title ? 1 : 0) ||
      (a.id < b.id ? -1 : 1),
  );
}
