import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ar } from '../../src/web/i18n/messages.ar.js';
import { en } from '../../src/web/i18n/messages.en.js';
import { fr } from '../../src/web/i18n/messages.fr.js';
import { CODE_LISTS, LANGUAGES, vocabularyMessages } from '../../src/vocabulary/index.js';

/**
 * The vocabulary (src/vocabulary) is the only place a code gets a label: no catalogue, e-mail
 * template, view, report, export or FHIR mapping may keep its own copy — copies drift ("pas de
 * capacité" / "Plus de place"). Any label of any code list, in any language, written in src outside
 * the vocabulary as a string literal or as the text of an element fails here.
 */
const SRC = join(import.meta.dirname, '../../src');
const VOCABULARY = join(SRC, 'vocabulary');

/**
 * The same words used for something that is not a code: a column heading or form field that
 * happens to read like a shareable field's label, a demo service's name, the plural headings of
 * the referral funnel. Each entry is a file and the exact text; anything else is a copy.
 */
const NOT_A_CODE_LABEL: Record<string, string[]> = {
  // Column and field headings (a person's phone, nationality, documents; report dimensions).
  'web/i18n/messages.fr.ts': ['Téléphone', 'Nationalité', 'Documents', 'Tranche d’âge', 'Groupe de population', 'Unité d’écoute', 'Retiré', 'Non réalisée'],
  'web/i18n/messages.ar.ts': ['الهاتف', 'الجنسية', 'الوثائق', 'الفئة العمرية', 'الفئة السكانية', 'وحدة الإنصات', 'مسحوبة'],
  'web/i18n/messages.en.ts': ['Nationality', 'Documents', 'Age band', 'Population group', 'Counselling unit', 'Withdrawn', 'Not completed'],
  'reporting/indicator-catalogue.ts': ['Age band', 'Tranche d’âge', 'الفئة العمرية', 'Population group', 'Groupe de population', 'الفئة السكانية', 'Counselling unit', 'Unité d’écoute', 'وحدة الإنصات'],
  // Funnel headings count referrals that reached a step ("Accepted" = accepted at some point).
  'reporting/report-outputs.service.ts': ['Accepted', 'مقبولة', 'Completed'],
  // Column titles a case register may have (imports), matched against the sheet's header row.
  'imports/register-fields.ts': ['Nationalité', 'Groupe de population', 'Téléphone', 'الجنسية', 'الهاتف', 'Nationality', 'Population group'],
  // A demo service's name.
  'directory/demo-directory.data.ts': ['Appui à la création d’entreprise'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === VOCABULARY ? [] : sourceFiles(path);
    return /\.(ts|eta|js|html)$/.test(e.name) && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Labels long enough to be a label and not a word of another sentence ("Autre", "Oui"). */
function labels(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [list, def] of Object.entries(CODE_LISTS)) {
    for (const lang of LANGUAGES) {
      for (const [code, text] of Object.entries(def.labels[lang] as Record<string, string>)) {
        if (text.length >= 6 && text !== code) out.set(text, `${list}.${code} (${lang})`);
      }
    }
  }
  return out;
}

function copiesIn(file: string, text: string, all: Map<string, string>): string[] {
  const allowed = NOT_A_CODE_LABEL[relative(SRC, file)] ?? [];
  const found: string[] = [];
  for (const [label, where] of all) {
    if (allowed.includes(label)) continue;
    for (const quoted of [`'${label}'`, `"${label}"`, `\`${label}\``, `>${label}<`]) {
      if (text.includes(quoted)) found.push(`${relative(SRC, file)}: ${quoted} is ${where}`);
    }
  }
  return found;
}

describe('labels of codes', () => {
  it('are written only in src/vocabulary', () => {
    const all = labels();
    const found = sourceFiles(SRC).flatMap((file) => copiesIn(file, readFileSync(file, 'utf8'), all));
    expect(found).toEqual([]);
  });

  it('reach the page catalogues only from the vocabulary (no catalogue key shadows a code label)', () => {
    for (const [lang, catalogue] of [['fr', fr], ['ar', ar], ['en', en]] as const) {
      const shadowed = Object.keys(vocabularyMessages(lang)).filter((k) => Object.hasOwn(catalogue, k));
      expect({ lang, shadowed }).toEqual({ lang, shadowed: [] });
    }
  });

  it('would be seen by the scan: a copied label in a template or a view is reported', () => {
    const all = labels();
    const template = join(SRC, 'notifications/templates.ts');
    expect(copiesIn(template, `const CATEGORY = { legal_aid: 'Aide juridique' };`, all)).toEqual([`notifications/templates.ts: 'Aide juridique' is category.legal_aid (fr)`]);
    expect(copiesIn(join(SRC, 'web/views/x.eta'), '<td>Aide juridique</td>', all)).toEqual([`web/views/x.eta: >Aide juridique< is category.legal_aid (fr)`]);
    expect(sourceFiles(SRC).some((f) => f.endsWith('.eta'))).toBe(true);
    expect(sourceFiles(SRC).some((f) => f.startsWith(VOCABULARY))).toBe(false);
  });
});
