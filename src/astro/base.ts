// The path the site is served under, from `site.url` (`/` by default). Pages use
// this rather than import.meta.env.BASE_URL so links and search URLs agree.
import data from 'virtual:threatmark/site';
import { basePath } from './site-data.ts';

export const BASE = basePath(data.site.url);
