import { DomainError, validationError, type FieldError } from '../common/domain-error.js';

export const DirectoryErrors = {
  invalid: (errors: FieldError[]) => validationError(errors),
  unknownPlace: (field: string) => validationError([{ field, message: 'unknown province or place code' }]),
  unknownTaxonomyTerm: (field = 'taxonomy_term_id') => validationError([{ field, message: 'unknown taxonomy term' }]),
  unknownTaxonomy: (field = 'taxonomy_id') => validationError([{ field, message: 'unknown taxonomy' }]),
  coordinatesIncomplete: (field: 'lat' | 'lon') => validationError([{ field, message: 'lat and lon go together' }]),
  radiusWithoutPoint: () => validationError([{ field: 'radius_km', message: 'radius_km needs lat and lon' }]),
  proximityWithoutPostcode: () => validationError([{ field: 'proximity', message: 'proximity is measured from a postcode: send postcode too' }]),
  searchEmpty: () => validationError([{ field: 'search', message: 'search needs at least one letter or digit' }]),
  notAProvider: () =>
    validationError([{ field: 'organisationId', message: 'must be an active service-provider organisation' }]),
  nameRequired: () => validationError([{ field: 'nameFr', message: 'a name in at least one of fr, ar, en is required' }]),
  ageRange: () => validationError([{ field: 'maximumAge', message: 'maximumAge must not be below minimumAge' }]),
  focalPointUser: (index: number) =>
    validationError([{ field: `focalPoints.${index}.userId`, message: 'must be an active user of the service’s organisation' }]),
  locationOfAnotherOrganisation: (index: number) =>
    validationError([{ field: `locations.${index}.id`, message: 'this location belongs to another organisation' }]),
  fieldsNotAllowed: (fields: string[]) =>
    new DomainError(403, 'DIRECTORY_FIELDS_NOT_ALLOWED', `You may not change: ${fields.join(', ')}.`, fields.map((field) => ({ field, message: 'not allowed for your role' }))),
  importInvalid: (errors: Array<{ record?: number; table?: string; row?: number; column?: string; id?: string; field?: string; message: string }>) =>
    new DomainError(400, 'DIRECTORY_IMPORT_INVALID', `The import has ${errors.length} error(s); nothing was written.`, undefined, { report: errors }),
  tabularNoFile: () => new DomainError(400, 'DIRECTORY_TABULAR_NO_FILE', 'Send the data package as a zip, or datapackage.json and its CSV files, in the field "file".'),
  tabularUnreadable: () => new DomainError(400, 'DIRECTORY_TABULAR_UNREADABLE', 'The file is not a readable zip.'),
  tabularTooLarge: () => new DomainError(413, 'DIRECTORY_TABULAR_TOO_LARGE', 'The data package is too large once unzipped (50 MB, 200 files at most).'),
  tabularNoServices: () => new DomainError(400, 'DIRECTORY_TABULAR_NO_SERVICES', 'The data package has no services.csv, or it has no rows.'),
  tabularDatapackageInvalid: () => new DomainError(400, 'DIRECTORY_TABULAR_DATAPACKAGE_INVALID', 'datapackage.json is not a data package (a JSON object with a resources list).'),
  tabularCsvInvalid: (table: string, line?: number) =>
    new DomainError(400, 'DIRECTORY_TABULAR_CSV_INVALID', `${table}.csv is not valid CSV${line ? ` (near line ${line})` : ''}.`, undefined, { table, line }),
  sheetNoHeader: () => new DomainError(400, 'DIRECTORY_SHEET_NO_HEADER', 'No header row with at least « Organisation » and « Service » in the first 20 rows.'),
  sheetEmpty: () => new DomainError(400, 'DIRECTORY_SHEET_EMPTY', 'The sheet has a header row but no service below it.'),
  sheetTooLarge: (max: number) => new DomainError(413, 'DIRECTORY_SHEET_TOO_LARGE', `A services sheet has at most ${max} rows.`),
  importEmpty: () => validationError([{ field: 'body', message: 'one HSDS service JSON object per line is expected' }]),
};
