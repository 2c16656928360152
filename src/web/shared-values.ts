import { label, type Language } from '../vocabulary/index.js';
import type { Translator } from './i18n/i18n.js';

/**
 * What a provider reads of a referral's shared fields: every coded value by its label in the
 * reader's language from the vocabulary (never `female`, `25-59`, `mhpss`), lists with the
 * language's comma, dates in the reader's calendar.
 */
export function sharedValueText(tr: Translator, field: string, value: unknown): string {
  const lang: Language = tr.lang;
  const list = (items: string[]) => items.join(tr.t('common.listSep'));
  switch (field) {
    case 'sex':
      return label('sex', String(value), lang);
    case 'age_band':
      return label('ageBand', String(value), lang);
    case 'population_group':
      return label('populationGroup', String(value), lang);
    case 'nationality':
      return tr.country(String(value));
    case 'languages':
      return list((value as string[]).map((l) => label('spokenLanguage', l, lang)));
    case 'needs_summary':
      return list((value as string[]).map((c) => label('category', c, lang)));
    case 'incident_summary':
      return list(
        (value as Array<{ type: string; timeElapsed?: string | null; incidentDate?: string | null }>).map((i) =>
          [label('incidentType', i.type, lang), i.timeElapsed ? label('timeElapsed', i.timeElapsed, lang) : '', i.incidentDate ? tr.date(i.incidentDate) : ''].filter(Boolean).join(' — '),
        ),
      );
    case 'documents': {
      const d = value as { type: string; number: string | null };
      return [label('documentType', d.type, lang), d.number].filter(Boolean).join(' — ');
    }
    default:
      return String(value);
  }
}
