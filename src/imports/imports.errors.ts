import { conflict, DomainError, notFound } from '../common/domain-error.js';

/** Errors of register imports; codes are stable. Details never quote a value of the sheet. */
export const ImportErrors = {
  notFound: () => notFound('import'),
  noFile: () => new DomainError(400, 'IMPORT_NO_FILE', 'Send the sheet as the multipart field "file" (XLSX or CSV).'),
  unreadable: () => new DomainError(422, 'IMPORT_UNREADABLE', 'The file could not be read as an XLSX workbook or a CSV text.'),
  noHeader: () =>
    new DomainError(422, 'IMPORT_NO_HEADER', 'No header row was found in the first 30 rows: at least two column titles must be recognisable (see the template).'),
  missingColumns: (fields: string[]) =>
    new DomainError(422, 'IMPORT_MISSING_COLUMNS', 'Columns the import needs are not mapped.', fields.map((f) => ({ field: f, message: `${f} must be mapped to a column` }))),
  badMapping: () => new DomainError(400, 'IMPORT_BAD_MAPPING', 'mapping must be a JSON object of column letter → field name (or "" to ignore the column).'),
  unitRequired: () => new DomainError(400, 'IMPORT_UNIT_REQUIRED', 'unitId (a counselling unit) is required for an import by an admin.'),
  counsellorRequired: () =>
    new DomainError(400, 'IMPORT_COUNSELLOR_REQUIRED', 'counsellorId must name an active counsellor or supervisor of the unit, who will hold the imported cases.'),
  unitHasNoCode: () => new DomainError(409, 'UNIT_HAS_NO_CODE', 'This counselling unit has no code for case codes; an admin must set one.'),
  notChecked: () => conflict('IMPORT_NOT_CHECKED', 'Only a checked batch that was neither imported nor discarded can be imported.'),
  notUndoable: () => conflict('IMPORT_NOT_UNDOABLE', 'Only a completed import can be undone, within its undo window.'),
  changedSince: () => conflict('IMPORT_CHANGED_SINCE', 'Imported cases were changed or added to since the import; undo would lose that work.'),
};
