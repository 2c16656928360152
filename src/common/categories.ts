/** Service categories (domain.md §3): kept in the vocabulary; re-exported for the features. */
export { CATEGORIES, type Category } from '../vocabulary/index.js';
import { CATEGORIES, type Category } from '../vocabulary/index.js';

export const isCategory = (v: unknown): v is Category => typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
