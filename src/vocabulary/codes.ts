/**
 * Every fixed code list of the domain, once. Codes are stable (they are PostgreSQL enums, API
 * values and FHIR codes); what people read is in labels.ts. Features re-export what they own
 * (cases.constants.ts, referral-state.ts, …) so their imports read as the domain.
 */
import { LANGUAGES } from './languages.js';

export { LANGUAGES };

// Organisations and people who use the system (domain.md §2).
export const ROLES = ['admin', 'supervisor', 'counsellor', 'provider', 'coordinator', 'analyst'] as const;
export type Role = (typeof ROLES)[number];
export const ORGANISATION_TYPES = ['counselling_unit', 'service_provider', 'coordination_body', 'programme'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

// Service categories (domain.md §3): the directory's taxonomy and a case's needs share them.
// Adding a code needs a migration of the `need_category` enum too.
export const CATEGORIES = [
  'health_care',
  'sexual_reproductive_health',
  'mhpss',
  'clinical_management_of_rape',
  'legal_aid',
  'shelter',
  'documentation',
  'employment_business',
  'education',
  'food_basic_needs',
  'child_protection',
  'interpretation',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Groups a service is meant for (the directory's `population` taxonomy). */
export const POPULATIONS_SERVED = ['women', 'children', 'unaccompanied_children', 'migrants', 'refugees', 'survivors', 'disabilities'] as const;
export type PopulationServed = (typeof POPULATIONS_SERVED)[number];

export const CAPACITY_STATUSES = ['accepting', 'waiting_list', 'not_accepting'] as const;
export type CapacityStatus = (typeof CAPACITY_STATUSES)[number];

/** Who may see a service's listing: anyone, connected partners, or only through a referral. */
export const SERVICE_TIERS = ['public', 'partners', 'restricted'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Languages spoken by a person or at a service (ISO 639; `ary` = Darija, `zgh` = Tamazight). */
export const SPOKEN_LANGUAGES = ['ar', 'ary', 'zgh', 'fr', 'en', 'es', 'pt', 'wo', 'ff', 'bm', 'ln', 'sw', 'ha', 'ti', 'other'] as const;
export type SpokenLanguage = (typeof SPOKEN_LANGUAGES)[number];

// Cases (domain.md §4). Each is a PostgreSQL enum of the same name.
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];
/** Age bands of the indicators (domain.md §6). */
export const AGE_BANDS = ['0-17', '18-24', '25-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const POPULATION_GROUPS = ['migrant', 'refugee_asylum_seeker', 'moroccan_returnee', 'host_community'] as const;
export type PopulationGroup = (typeof POPULATION_GROUPS)[number];
/** Nationality groups of the reports (nationalities are never published one by one). */
export const NATIONALITY_GROUPS = ['moroccan', 'west_central_africa', 'east_horn_africa', 'north_africa_middle_east', 'other', 'unknown'] as const;
export type NationalityGroup = (typeof NATIONALITY_GROUPS)[number];
/** Languages a person speaks: the spoken languages a case form offers. */
export const PERSON_LANGUAGES = ['ar', 'ary', 'zgh', 'fr', 'en', 'es', 'pt', 'wo', 'ff', 'bm', 'ln', 'sw', 'other'] as const satisfies readonly SpokenLanguage[];
export type PersonLanguage = (typeof PERSON_LANGUAGES)[number];
export const DOCUMENT_TYPES = ['passport', 'national_id', 'residence_card', 'asylum_seeker_certificate', 'refugee_card', 'birth_certificate', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const CASE_STATUSES = ['open', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const CLOSURE_REASONS = ['needs_met', 'moved', 'lost_contact', 'transferred', 'consent_withdrawn', 'deceased'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];
export const REOPEN_REASONS = ['new_need', 'situation_changed', 'returned', 'closed_in_error'] as const;
export type ReopenReason = (typeof REOPEN_REASONS)[number];
export const NEED_STATUSES = ['open', 'met', 'unmet', 'withdrawn'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];
export const CONSENT_GIVERS = ['person', 'guardian'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];
export const CONSENT_METHODS = ['verbal', 'written'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
/** The data a consent may allow to travel with a referral (minimum necessary, chosen per referral). */
export const SHAREABLE_FIELDS = ['age_band', 'sex', 'nationality', 'languages', 'population_group', 'phone', 'name', 'needs_summary', 'incident_summary', 'documents'] as const;
export type ShareableField = (typeof SHAREABLE_FIELDS)[number];
/** GBVIMS core incident types. */
export const INCIDENT_TYPES = ['rape', 'sexual_assault', 'physical_assault', 'forced_marriage', 'denial_of_resources', 'psychological_abuse'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const INCIDENT_PLACE_TYPES = [
  'survivor_home',
  'perpetrator_home',
  'street',
  'forest_or_camp',
  'border_crossing',
  'transport',
  'workplace',
  'school',
  'detention_or_police',
  'health_facility',
  'other',
] as const;
export type IncidentPlaceType = (typeof INCIDENT_PLACE_TYPES)[number];
/** GBVIMS time between incident and report. */
export const TIME_ELAPSED = ['0_3_days', '4_5_days', '6_14_days', '2_weeks_1_month', 'over_1_month'] as const;
export type TimeElapsed = (typeof TIME_ELAPSED)[number];
export const SESSION_KINDS = ['psychosocial', 'case_management', 'phone', 'home_visit', 'group'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What a delivery achieved, which is also what a completed referral records. Livelihood outcomes
 * (LIV-1..6) belong to employment_business deliveries only (domain.md §6).
 */
export const GENERAL_OUTCOME_CODES = ['service_provided', 'partially_provided'] as const;
export const LIVELIHOOD_OUTCOME_CODES = ['career_counselling', 'business_startup_support', 'business_opened', 'internship', 'job_interview', 'self_entrepreneur_registered'] as const;
export const DELIVERY_OUTCOMES = [...GENERAL_OUTCOME_CODES, ...LIVELIHOOD_OUTCOME_CODES] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

// Referrals (domain.md §5).
export const REFERRAL_STATUSES = ['draft', 'sent', 'accepted', 'in_progress', 'completed', 'not_completed', 'declined', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const PRIORITIES = ['emergency', 'urgent', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** Hours to respond by priority unless the service states its own (domain.md §5). */
export const DEFAULT_RESPONSE_HOURS: Record<Priority, number> = { emergency: 4, urgent: 24, routine: 72 };
/** Coded reasons for decline, not-complete and cancel (`other` needs a text). */
export const REASON_CODES = [
  'no_capacity',
  'not_eligible',
  'service_unavailable',
  'person_unreachable',
  'person_declined',
  'no_show',
  'consent_withdrawn',
  'need_met',
  'entered_in_error',
  'other',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

// Programme activities (domain.md §6): CAP-1 counts trainings, CAP-2 the others.
export const ACTIVITY_KINDS = ['training', 'workshop', 'fair', 'symposium'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
/**
 * The kind of organisation a participant came from (the factsheet counts ministries,
 * institutions, companies, universities, …). Not the system's own organisation types: most
 * participants' organisations have no account here.
 */
export const PARTICIPANT_ORGANISATION_TYPES = [
  'government',
  'local_authority',
  'public_service',
  'civil_society',
  'migrant_association',
  'private_sector',
  'academia',
  'international_organisation',
  'other',
] as const;
export type ParticipantOrganisationType = (typeof PARTICIPANT_ORGANISATION_TYPES)[number];
/**
 * What an outbox e-mail is about (`outbox_message.kind`): an account e-mail, a referral's step
 * (`referral.<transition>`) or one of the overdue reminders. Shown to admins on the failed e-mails page.
 */
export const MESSAGE_KINDS = [
  'user.invite',
  'user.reset',
  'referral.send',
  'referral.accept',
  'referral.decline',
  'referral.start',
  'referral.complete',
  'referral.not-complete',
  'referral.cancel',
  'referral.share-update',
  'referral.overdue',
  'referral.escalation',
  'referral.digest',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/**
 * The rows of a referral's history that are not a step of the loop (those read as their statuses):
 * `share-update` — the unit shared its corrections to the case with the provider, under a consent
 * that covers them now.
 */
export const REFERRAL_EVENTS = ['share-update'] as const;
export type ReferralEventAction = (typeof REFERRAL_EVENTS)[number];
