import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';

/** A text held in several languages: the page shows the reader's, else the French (the directory's `pick`). */
export type LocalisedText = Partial<Record<'fr' | 'ar' | 'en', string | null>>;

export interface DashboardCard {
  id: string;
  title: string;
  href: string;
  text?: string;
  count?: number;
  /** Shown when `rows` is empty. */
  empty?: string;
  rows?: Array<{
    /** A text, or one held in several languages (a service's name), read in the page's language. */
    label: string | LocalisedText;
    href?: string;
    mark?: string;
    markClass?: string;
    /** A calendar date shown after the label, localised by the page. */
    date?: string;
    /** A one-button form (POST, with the anti-forgery token) acting on the row, e.g. "done". */
    action?: { href: string; label: string; name: string };
  }>;
}

/** A source of dashboard cards: each feature's pages add one (it decides from the ability whether it applies). */
export interface DashboardSource {
  cards(actor: Actor, ability: AppAbility): Promise<DashboardCard[]>;
}

export const DASHBOARD_SOURCES = Symbol('DASHBOARD_SOURCES');
