// /models/<id>.json: the resolved model.
import data from 'virtual:threatmark/site';
import type { SiteModel } from '../../astro/site-data.ts';

export function getStaticPaths() {
  return data.models.map((site: SiteModel) => ({ params: { id: site.model.id }, props: { site } }));
}

export function GET({ props }: { props: { site: SiteModel } }): Response {
  return new Response(JSON.stringify(props.site.model, null, 2) + '\n', {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}
