import type { Translator } from './i18n/i18n.js';

/**
 * What a provider reads of a referral's shared fields: every coded value by its label in the
 * reader's language (never `female`, `25-59`, `mhpss`), lists with the language's comma.
 */
export function sharedValueText(tr: Translator, field: string, value: unknown): string {
  const list = (items: string[]) => items.join(tr.t('common.listSep'));
  switch (field) {
    case 'sex':
      return tr.t(`sex.${value}`);
    case 'age_band':
      return tr.t(`ageBand.${value}`);
    case 'population_group':
      return tr.t(`population.${value}`);
    case 'nationality':
      return tr.country(String(value));
    case 'languages':
      return list((value as string[]).map((l) => tr.languageName(l)));
    case 'needs_summary':
      return list((value as string[]).map((c) => tr.t(`category.${c}`)));
    case 'incident_summary':
      return list(
        (value as Array<{ type: string; timeElapsed?: string | null; incidentDate?: string | null }>).map((i) =>
          [tr.t(`incident.${i.type}`), i.timeElapsed ? tr.t(`elapsed.${i.timeElapsed}`) : '', i.incidentDate ? tr.date(i.incidentDate) : ''].filter(Boolean).join(' — '),
        ),
      );
    case 'documents': {
      const d = value as { type: string; number: string | null };
      return [tr.t(`documentType.${d.type}`), d.number].filter(Boolean).join(' — ');
    }
    default:
      return String(value);
  }
}
