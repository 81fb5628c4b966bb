// /risks/accepted.csv: the accepted-risk register, safe to open in a spreadsheet.
import data from 'virtual:threatmark/site';
import { acceptedCsv } from '../../astro/views.ts';

export function GET(): Response {
  return new Response(acceptedCsv(data), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
}
