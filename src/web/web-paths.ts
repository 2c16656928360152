import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Templates (copied next to the compiled code by the Nest CLI, see nest-cli.json). */
export const VIEWS_DIR = join(here, 'views');
/** CSS and JS served under /assets with long-lived caching (URLs carry a content hash). */
export const PUBLIC_DIR = join(here, 'public');
export const ASSETS_PREFIX = '/assets';
