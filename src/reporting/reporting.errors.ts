import { DomainError, validationError } from '../common/domain-error.js';

export const ReportingErrors = {
  badPeriod: () => validationError([{ field: 'from', message: 'must not be after "to"' }], 'The period ends before it starts.'),
  periodTooLong: (years: number) =>
    validationError([{ field: 'to', message: `the period may cover at most ${years} years` }], 'The period is too long for one report.'),
  notDisaggregable: (code: string, dims: string[]) =>
    validationError(
      [{ field: 'by', message: `${code} cannot be cut by ${dims.join(', ')}` }],
      `Indicator ${code} has no such disaggregation.`,
    ),
  filterNotApplicable: (code: string, filter: string) =>
    validationError([{ field: filter, message: `${code} cannot be filtered by ${filter}` }], `Indicator ${code} has no ${filter}.`),
  placeNotFound: (field: 'region' | 'province') =>
    validationError([{ field, message: `must be a ${field === 'region' ? 'region' : 'province'} id` }], `No such ${field}.`),
  unitNotFound: () => validationError([{ field: 'unit', message: 'must be a counselling unit id' }], 'No such counselling unit.'),
  indicatorNotAvailable: (code: string) =>
    new DomainError(403, 'INDICATOR_NOT_AVAILABLE', `Indicator ${code} is not available to your role.`),
  noIndicator: () => validationError([{ field: 'indicators', message: 'none of the indicators can be cut and filtered this way' }], 'No indicator fits this request.'),
  dhis2NotConfigured: () => new DomainError(409, 'DHIS2_NOT_CONFIGURED', 'No DHIS2 mapping is configured (DHIS2_MAPPING_FILE).'),
  dhis2Period: () =>
    validationError([{ field: 'from', message: 'DHIS2 needs a whole month, quarter or year' }], 'The period is not a DHIS2 period.'),
};
