// Content collections: the methodology and guides (content/docs/**/*.mdx).
// Threat models are not a collection: Threatmark's own pipeline checks them
// before Astro starts (see src/astro/integration.ts).
// 'astro/content/config' is what 'astro:content' re-exports, and needs no generated types.
import { defineCollection } from 'astro/content/config';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const docs = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/docs' }),
  schema: z.looseObject({
    title: z.string(),
    description: z.string().optional(),
    /** Position in the guides' navigation (lower first; then by title). */
    order: z.number().optional(),
  }),
});

export const collections = { docs };
