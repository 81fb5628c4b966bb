// /threats.json: the same payload as `threatmark export threats`.
import data from 'virtual:threatmark/site';
import { exportThreats } from '../core/export.ts';

export function GET(): Response {
  const body = JSON.stringify(exportThreats(data.models.map((m) => m.model)), null, 2) + '\n';
  return new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } });
}
