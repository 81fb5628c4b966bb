// /models/<id>.mmd: the DFD as mermaid flowchart source.
import data from 'virtual:threatmark/site';
import type { SiteModel } from '../../astro/site-data.ts';

export function getStaticPaths() {
  return data.models.map((site: SiteModel) => ({ params: { id: site.model.id }, props: { site } }));
}

export function GET({ props }: { props: { site: SiteModel } }): Response {
  const source = props.site.mermaid.endsWith('\n') ? props.site.mermaid : `${props.site.mermaid}\n`;
  return new Response(source, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
