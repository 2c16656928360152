import { Body, Controller, Get, Injectable, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../../authorization/ability.factory.js';
import type { Actor } from '../../authorization/actor.js';
import { Can, CheckPolicies, CurrentAbility, CurrentActor } from '../../authorization/policies.js';
import { IdPipe } from '../../common/params.js';
import { CasesService } from '../../cases/cases.service.js';
import { ConsentService } from '../../cases/consent.service.js';
import { CONSENT_GIVERS, CONSENT_METHODS, SHAREABLE_FIELDS, type ShareableField } from '../../cases/cases.constants.js';
import { CreateConsentDto } from '../../cases/dto/records.dto.js';
import { defaultSharedFields } from '../../referrals/shared-fields.js';
import { DirectoryReadService, type ReferralTarget } from '../../directory/directory-read.service.js';
import { DirectorySearchService } from '../../directory/directory-search.service.js';
import { ReferralCommands } from '../../referrals/referral-commands.service.js';
import { ReferralViews } from '../../referrals/referral-views.service.js';
import { PlacesService } from '../../places/places.service.js';
import { servedPopulationsOf } from '../../cases/served-populations.js';
import { OPEN_STATUSES, PRIORITIES, REFERRAL_STATUSES, REFERRAL_TRANSITIONS, TRANSITION_RULES, outcomeCodesFor, responseHours, sharesCorrections, type Priority, type ReferralStatus, type ReferralTransition } from '../../referrals/referral-state.js';
import { TransitionPipe } from '../../referrals/transition.pipe.js';
import { priorityLabel, wallTimeToInstant, type Language } from '../../vocabulary/index.js';
import { CreateReferralDto, ReferralQuery, ReReferDto, TransitionDto } from '../../referrals/dto/referral.dto.js';
import type { DashboardCard, DashboardSource } from '../dashboard-cards.js';
import { attempt, field, parseForm, type FormBody } from '../forms.js';
import { DomainError } from '../../common/domain-error.js';
import { isLanguage, translatorFor } from '../i18n/i18n.js';
import { sharedValueText } from '../shared-values.js';
import { qrSvg, slipLines, SLIP_SIZES, writeSlipPdf, type SlipSize } from '../slip-pdf.js';
import { Views, type PageRequest } from '../views.service.js';

interface ReferralItem {
  id: string;
  reference: string;
  status: string;
  overdue: boolean;
  priority: Priority;
  category: string;
  serviceId: string;
  serviceName: string | null;
  responseDueAt: Date | string | null;
  createdAt: Date | string;
  caseId?: string;
  needId?: string;
}

/**
 * Referrals: the wizard (need → ranked suggestions with their reasons → fields to share →
 * consent check → send), the inbox/outbox with counts, and the referral page with the actions the
 * state machine allows the caller. Every step calls the same services as the API.
 */
@ApiExcludeController()
@Controller()
export class ReferralsPagesController {
  constructor(
    private readonly views: Views,
    private readonly referrals: ReferralCommands,
    private readonly referralViews: ReferralViews,
    private readonly cases: CasesService,
    private readonly consents: ConsentService,
    private readonly search: DirectorySearchService,
    private readonly directory: DirectoryReadService,
    private readonly places: PlacesService,
  ) {}

  @Get('cases/:id/refer')
  @Can('create', 'Referral')
  async wizard(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Query() q: FormBody,
  ) {
    await this.wizardPage(req, res, actor, ability, id, q);
  }

  @Post('cases/:id/refer')
  @Can('create', 'Referral')
  async send(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Body() body: FormBody,
  ) {
    // The wizard's whole state travels in this one form: whatever happens, the page comes back with it.
    const state: FormBody = { ...body, need: body.need ?? body.needId, step: 'share' };
    if (field(body, 'intent', 20) === 'consent') {
      // Consent recorded in place, then back to the same step with the same choices.
      const c = await attempt(async () =>
        this.consents.record(actor, ability, id, await parseForm(CreateConsentDto, { givenBy: body.consentGivenBy, method: body.consentMethod, categories: body.consentCategories, fields: body.consentFields }, ['categories', 'fields'])),
      );
      return this.wizardPage(req, res, actor, ability, id, state, c.ok ? undefined : consentFormError(c.error), c.ok ? 'consentRecorded' : undefined);
    }
    const from = field(body, 'from', 40);
    const r = await attempt(async () => {
      if (from) {
        const dto = await parseForm(ReReferDto, { serviceAtLocationId: body.serviceAtLocationId, priority: body.priority, sharedFields: body.fields, noteForProvider: body.noteForProvider, send: 'true' }, { arrays: ['sharedFields'], booleans: ['send'] });
        return (await this.referrals.reRefer(actor, ability, from, dto)).body as { id: string };
      }
      const dto = await parseForm(
        CreateReferralDto,
        { caseId: id, needId: field(body, 'needId', 40) || field(body, 'need', 40), serviceAtLocationId: body.serviceAtLocationId, priority: body.priority, noteForProvider: body.noteForProvider, sharedFields: body.fields, send: 'true' },
        { arrays: ['sharedFields'], booleans: ['send'] },
      );
      return (await this.referrals.create(actor, ability, dto)).body as { id: string };
    });
    if (!r.ok) return this.wizardPage(req, res, actor, ability, id, state, r.error);
    res.redirect(303, `/referrals/${r.value.id}?notice=referralSent`);
  }

  @Get('referrals')
  @Can('read', 'Referral')
  async list(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() raw: FormBody) {
    const filters = Object.fromEntries(['status', 'overdue', 'priority', 'cursor'].map((k) => [k, raw[k]]).filter(([, v]) => typeof v === 'string' && v !== ''));
    const r = await attempt(async () => this.referralViews.list(this.views.reader(req, actor), ability, await parseForm(ReferralQuery, filters as FormBody, { booleans: ['overdue'] })));
    const counts = await this.referralViews.counts(ability);
    const more = new URLSearchParams(Object.entries(filters).filter(([k]) => k !== 'cursor') as Array<[string, string]>).toString();
    const items = (r.ok ? r.value.items : []) as ReferralItem[];
    const targets = await this.directory.getServicesForReferrals(items.map((i) => i.serviceId));
    const lang = this.views.language(req);
    const priorityTexts = Object.fromEntries(items.map((i) => [i.id, priorityText(i.priority, targets.get(i.serviceId), lang)]));
    await this.views.send(
      req,
      res,
      'referrals/list',
      { title: actor.organisationType === 'service_provider' ? 'referrals.inbox' : 'referrals.title', page: r.ok ? r.value : { items: [], nextCursor: null }, error: r.ok ? null : r.error, counts, q: filters, statuses: REFERRAL_STATUSES, priorities: PRIORITIES, priorityTexts, moreQuery: more },
      r.ok ? 200 : r.error.status,
    );
  }

  @Get('referrals/:id')
  @Can('read', 'Referral')
  async show(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string) {
    await this.referralPage(req, res, actor, ability, id);
  }

  /** The slip for the person, in their language (`?lang=`, default the counsellor's), with a print stylesheet. */
  @Get('referrals/:id/slip')
  @Can('update', 'Referral')
  async slipPage(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Query('language') lang?: string) {
    const slip = await this.referralViews.slip(actor, ability, id, isLanguage(lang) ? lang : this.views.language(req));
    const st = translatorFor(slip.language);
    await this.views.send(req, res, 'referrals/slip', {
      title: 'slip.pageTitle',
      titleVars: { ref: slip.reference },
      referralId: id,
      slip,
      st,
      slipDir: st.dir,
      lines: slipLines(slip),
      qrSvg: slip.mapUrl ? await qrSvg(slip.mapUrl, st.t('slip.mapAlt')) : null,
    });
  }

  @Get('referrals/:id/slip.pdf')
  @Can('update', 'Referral')
  async slipPdf(@Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Query('language') lang?: string, @Query('size') size?: string) {
    if (lang !== undefined && !isLanguage(lang)) throw new DomainError(400, 'VALIDATION_FAILED', 'language must be fr, ar or en.', [{ field: 'language', message: 'one of fr, ar, en' }]);
    if (size !== undefined && !(SLIP_SIZES as readonly string[]).includes(size)) throw new DomainError(400, 'VALIDATION_FAILED', 'size must be A5 or A4.', [{ field: 'size', message: 'one of A5, A4' }]);
    const slip = await this.referralViews.slip(actor, ability, id, lang ?? actor.language);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${slip.reference}-${slip.language}.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    await writeSlipPdf(slip, (size as SlipSize | undefined) ?? 'A5', res);
  }

  /** The unit shares its corrections to the case with the provider (same command as the API). */
  @Post('referrals/:id/share-update')
  @Can('update', 'Referral')
  async shareUpdate(@Req() req: PageRequest, @Res() res: Response, @CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Param('id', IdPipe) id: string, @Body() body: FormBody) {
    const r = await attempt(() => this.referrals.shareUpdate(actor, ability, id));
    if (!r.ok) return this.referralPage(req, res, actor, ability, id, { error: r.error, form: 'share-update', values: body }, r.error.status);
    res.redirect(303, `/referrals/${id}?notice=saved`);
  }

  @Post('referrals/:id/:transition')
  @CheckPolicies((a) => a.can('update', 'Referral') || a.can('respond', 'Referral'))
  async transition(
    @Req() req: PageRequest,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @CurrentAbility() ability: AppAbility,
    @Param('id', IdPipe) id: string,
    @Param('transition', TransitionPipe) transition: ReferralTransition,
    @Body() body: FormBody,
  ) {
    const input = { ...body };
    const at = field(body, 'appointmentAt', 40);
    // The form's datetime-local is a wall time in Morocco; the API takes an instant.
    if (at) input.appointmentAt = wallTimeToInstant(at)?.toISOString() ?? at;
    const r = await attempt(async () => this.referrals.transition(actor, ability, id, transition, await parseForm(TransitionDto, input, { booleans: ['startNow'] })));
    if (!r.ok) return this.referralPage(req, res, actor, ability, id, { error: r.error, form: transition, values: body }, r.error.status);
    res.redirect(303, `/referrals/${id}?notice=saved`);
  }

  private async referralPage(req: PageRequest, res: Response, actor: Actor, ability: AppAbility, id: string, extra: Record<string, unknown> = {}, status = 200) {
    const referral = (await this.referralViews.get(this.views.reader(req, actor), ability, id)) as ReferralItem & { actions: string[]; consentWithdrawn: boolean }; // 404 out of scope
    const provider = actor.organisationType === 'service_provider';
    const tr = this.views.translator(req);
    const reasons = Object.fromEntries(REFERRAL_TRANSITIONS.map((t) => [t, TRANSITION_RULES[t].reasons]));
    const target = await this.directory.getServiceForReferral(referral.serviceId);
    const priority = priorityText(referral.priority, target ?? undefined, this.views.language(req));
    await this.views.send(
      req,
      res,
      'referrals/show',
      {
        title: 'referrals.referral',
        titleVars: { ref: referral.reference },
        referral,
        priority,
        provider,
        // The unit's own open referral (its actions say it may update it), sharing not erased.
        shareUpdate: !provider && referral.actions.length > 0 && sharesCorrections(referral.status as ReferralStatus, referral.consentWithdrawn),
        slipAvailable: OPEN_STATUSES.includes(referral.status as ReferralStatus),
        sharedValue: (f: string, v: unknown) => sharedValueText(tr, f, v),
        reasons,
        outcomes: outcomeCodesFor(referral.category),
        form: null,
        ...extra,
      },
      status,
    );
  }

  private async wizardPage(req: PageRequest, res: Response, actor: Actor, ability: AppAbility, caseId: string, q: FormBody, error?: unknown, notice?: string) {
    const lang = this.views.language(req);
    const kase = await this.cases.get(actor, ability, caseId); // 404 when out of scope
    const openNeeds = kase.needs.filter((n) => n.status === 'open');
    const need = openNeeds.find((n) => n.id === field(q, 'need', 40)) ?? null;
    const salId = field(q, 'serviceAtLocationId', 40);
    const from = field(q, 'from', 40);
    const data: Record<string, unknown> = { title: 'wizard.title', kase, openNeeds, need, from, priorities: PRIORITIES, shareableFields: SHAREABLE_FIELDS, step: 'need', error, wizardNotice: notice ?? null };
    if (need) {
      data.step = 'suggest';
      const person = kase.person;
      // Ranked for where the person lives (commune, else province), else where the unit is.
      const personPlace = person.communeId ?? person.provinceId;
      const own = personPlace ? await this.places.whereabouts(personPlace) : null;
      const where = own ?? (actor.provinceId ? await this.places.whereabouts(actor.provinceId) : null);
      const populations = servedPopulationsOf(person);
      const rankedPlaceId = own ? personPlace : where ? actor.provinceId : null;
      const rankedPlace = rankedPlaceId ? await this.places.get(rankedPlaceId) : null;
      data.rankedFor = { from: own ? 'person' : 'unit', place: rankedPlace && { fr: rankedPlace.nameFr, ar: rankedPlace.nameAr }, languages: person.languages ?? [], populations };
      const sug = await attempt(() =>
        this.search.suggestFor(ability, { need: need.category, province: where?.provinceCode, point: where?.point ?? undefined, languages: person.languages ?? [], populations, limit: 10 }, lang),
      );
      data.suggestions = sug.ok ? sug.value.items : [];
      if (!sug.ok) data.error = sug.error;
      // "Other services": the whole directory, searched by words, without leaving the wizard.
      const words = field(q, 'search', 200).trim();
      data.search = words;
      if (words) {
        const found = await attempt(() => this.search.findForReferral(ability, words, where?.point ?? undefined, lang));
        data.found = found.ok ? found.value.items : [];
        if (!found.ok) data.searchError = true;
      }
      const offered = salId ? (data.suggestions as Array<{ serviceAtLocationIds: string[]; organisation: { id: string } }>).find((s) => s.serviceAtLocationIds.includes(salId)) : undefined;
      // A service the ranking offered, or any active service the counsellor may see (found with "Other services").
      const target = offered ?? (salId ? await this.search.cardAt(ability, salId, lang) : null);
      if (salId && target) {
        data.step = 'share';
        data.serviceAtLocationId = salId;
        data.chosen = target;
        // First visit: the category's sensible defaults; afterwards exactly what the counsellor ticked (even nothing).
        const asked = field(q, 'fieldsChosen', 2) ? ([] as string[]).concat(q.fields ?? []) : defaultSharedFields(need.category);
        const fields = asked.filter((f): f is ShareableField => (SHAREABLE_FIELDS as readonly string[]).includes(f));
        data.fields = fields;
        data.consent = await this.consents.covers({ caseId, category: need.category, organisationId: (target as { organisation: { id: string } }).organisation.id, fields });
        data.priority = field(q, 'priority', 20) || 'routine';
        const sal = await this.directory.getServiceAtLocation(salId);
        const service = sal ? await this.directory.getServiceForReferral(sal.serviceId) : null;
        data.priorityTexts = Object.fromEntries(PRIORITIES.map((p) => [p, priorityText(p, service ?? undefined, lang)]));
        data.note = field(q, 'noteForProvider', 2000);
        data.consentGivers = CONSENT_GIVERS;
        data.consentMethods = CONSENT_METHODS;
        data.consentValues = { givenBy: field(q, 'consentGivenBy', 20), method: field(q, 'consentMethod', 20) };
      }
    }
    const status = error && (error as { status?: number }).status ? (error as { status: number }).status : 200;
    await this.views.send(req, res, 'referrals/wizard', data, status);
  }
}

/** The inline consent form's fields are prefixed (`consentMethod`): its errors name them so. */
function consentFormError(e: DomainError): DomainError {
  const rename: Record<string, string> = { givenBy: 'consentGivenBy', method: 'consentMethod', categories: 'consentCategories', fields: 'consentFields' };
  return new DomainError(e.status, e.code, e.message, (e.errors ?? []).map((f) => ({ ...f, field: rename[f.field] ?? f.field })));
}

/** "Urgence (2 h)": the priority with the hours the chosen service gives itself (the default without one). */
function priorityText(priority: Priority, service: ReferralTarget | undefined, lang: Language): string {
  return priorityLabel(priority, responseHours(priority, service?.responseHours), lang);
}

/** Dashboard cards: referrals awaiting an answer, overdue, recently answered (units); inbox counts (providers). */
@Injectable()
export class ReferralsDashboard implements DashboardSource {
  constructor(private readonly referrals: ReferralViews) {}

  async cards(actor: Actor, ability: AppAbility): Promise<DashboardCard[]> {
    if (!ability.can('read', 'Referral')) return [];
    const counts = await this.referrals.counts(ability);
    const provider = actor.organisationType === 'service_provider';
    const recent = await this.referrals.list(actor, ability, Object.assign(new ReferralQuery(), { status: provider ? ['sent'] : ['accepted', 'declined', 'completed', 'not_completed'], limit: 5 }));
    return [
      { id: 'awaiting', title: provider ? 'referrals.inbox' : 'dashboard.awaiting', href: '/referrals?status=sent', count: counts.sent },
      { id: 'overdue', title: 'dashboard.overdue', href: '/referrals?overdue=true', count: counts.overdue },
      {
        id: 'recent',
        title: provider ? 'dashboard.newReferrals' : 'dashboard.recentlyAnswered',
        href: '/referrals',
        empty: provider ? 'dashboard.newReferralsNone' : 'dashboard.recentlyAnsweredNone',
        rows: (recent.items as ReferralItem[]).map((r) => ({ label: r.reference, href: `/referrals/${r.id}`, mark: `refStatus.${r.status}`, markClass: r.overdue ? 'bad' : '' })),
      },
    ];
  }
}
