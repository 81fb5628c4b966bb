// `covers`: the code a model describes. Each glob must match something, and code it
// matches that changed after the model's review makes the review stale.
//
// Globs are relative to the repository root: the git work tree's top level when the
// source root is inside one, otherwise the source root. The file list and the history
// come from the run's RepoView (one `git ls-files`, one `git log` per run).
import { closest } from '../diagnostics.ts';
import { addDays } from '../dates.ts';
import { compileCover, dayToSeconds, repoViewFor, type CoverGlob, type RepoView } from '../git.ts';
import { plural } from '../reporters/stylish.ts';
import type { ModelCheck } from './types.ts';

/** The entries of `covers` as written, with their index (non-strings are the schema's business). */
export function coverEntries(data: Record<string, unknown>): { index: number; glob: string }[] {
  const raw = Object.hasOwn(data, 'covers') ? data.covers : undefined;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((glob, index) => (typeof glob === 'string' && glob.trim() !== '' && !glob.trim().startsWith('!') ? [{ index, glob }] : []));
}

/**
 * Why a glob matches nothing, when a path in it is missing: "there is no folder
 * `src/uplod`; did you mean `src/upload`?" (for a plain path's last part: "no file or
 * folder", with its siblings of both kinds as candidates).
 */
function missingBaseHint(view: RepoView, cover: CoverGlob): string {
  const files = view.files();
  if (cover.base === '' || files.isDirectory(cover.base) || (cover.plain && files.has(cover.base))) return '';
  const parts = cover.base.split('/');
  let depth = parts.length - 1;
  while (depth > 0 && !files.isDirectory(parts.slice(0, depth).join('/'))) depth--;
  const missing = parts.slice(0, depth + 1).join('/');
  // On disk but not in git's file list: empty, or holding only ignored files.
  if (view.repo && view.stat(missing)?.kind === 'directory') return ` (\`${missing}\` holds no file that git tracks)`;
  const last = cover.plain && depth === parts.length - 1;
  const parent = parts.slice(0, depth).join('/');
  const siblings = new Set<string>();
  for (const path of files.under(parent)) {
    const rest = parent ? path.slice(parent.length + 1) : path;
    const slash = rest.indexOf('/');
    if (slash > 0) siblings.add(rest.slice(0, slash));
    else if (last) siblings.add(rest);
    if (siblings.size > 5000) break;
  }
  const guess = closest(parts[depth]!, [...siblings]);
  const suggestion = guess ? `${parent ? `${parent}/` : ''}${guess}` : undefined;
  return ` (there is no ${last ? 'file or folder' : 'folder'} \`${missing}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''})`;
}

export const coversCheck: ModelCheck = {
  rules: [
    {
      id: 'covers-matches-nothing',
      severity: 'warning',
      title: 'A `covers` glob matches no file',
      description:
        '`covers` lists the code the model describes, as globs relative to the repository root (the git work tree, or the source root outside git). A glob that matches no file is usually a typo or code that moved, and it silently disables the staleness check for that code. A glob without wildcards covers the file or folder it names.',
      help: 'Fix the glob (the message names the missing folder), or remove the entry if the code is gone.',
    },
    {
      id: 'stale-review',
      severity: 'warning',
      title: 'Covered code changed after the model was reviewed',
      description:
        'In a git work tree, commits after the `reviewed` day that touch files matched by `covers` mean the code moved on since the model was last reviewed. The count is of non-merge commits on the current branch, by committer date (in a shallow clone only the fetched history is counted).',
      help: 'Review the model against the changed code, update it, and set `reviewed` to the review day.',
    },
  ],
  check({ model, data, config, today, report }) {
    const entries = coverEntries(data);
    if (entries.length === 0) return;
    const view = repoViewFor(config, today);
    const files = view.files();
    const history = view.repo && model.reviewed ? view.history(model.reviewed) : undefined;
    const after = model.reviewed ? dayToSeconds(addDays(model.reviewed, 1)) - 1 : 0;
    for (const { index, glob } of entries) {
      const cover = compileCover(glob);
      const subject = `covers:${glob}`;
      if (files.matches(cover).length === 0) {
        report('covers-matches-nothing', `\`${glob}\` matches no file in the repository${missingBaseHint(view, cover)}`, ['covers', index], { subject });
      }
      if (!history) continue;
      const commits = history.touching(cover, after);
      if (commits.length === 0) continue;
      const latest = commits[0]!;
      const when = new Date(latest.time * 1000).toISOString().slice(0, 10);
      report(
        'stale-review',
        `${history.shallow ? 'at least ' : ''}${plural(commits.length, 'commit')} since review (${model.reviewed}) touch ${glob} (latest ${latest.hash.slice(0, 7)} on ${when}): review the model and update \`reviewed\``,
        ['covers', index],
        { subject },
      );
    }
  },
};
