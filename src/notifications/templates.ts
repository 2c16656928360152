import { label, priorityLabel, instantToWallTime, type DeliveryOutcome as OutcomeCode, type Language, type Priority, type ReasonCode } from '../vocabulary/index.js';

/**
 * E-mail texts in the recipient's language. Templates take references, dates and links only:
 * there is deliberately no slot for a name, a phone number or a story.
 */
type Template<P> = Record<Language, (p: P) => { subject: string; text: string }>;

export interface InviteParams {
  link: string;
  expiresAt: string;
  purpose: 'invite' | 'reset';
}

/** What a referral e-mail may carry: a reference code, the service, dates, codes and a link. */
export interface ReferralMailParams {
  /** The referral's reference code, e.g. REF-OUJ-2026-000123 (never a name). */
  reference: string;
  /** The directory service's name. */
  service: string;
  priority: Priority;
  /** The service's own hours to respond at this priority, when it states them. */
  responseHours?: number | null;
  /** Response deadline, already formatted with formatWhen(). */
  deadline: string;
  link: string;
  /** The provider left a note for the unit: said, never quoted (it may identify the person). */
  noteWaiting?: boolean;
}
export type ReferralAnsweredParams = ReferralMailParams & { reasonCode?: ReasonCode | null; appointment?: string | null };
export type ReferralClosedParams = ReferralMailParams & { outcomeCode?: OutcomeCode | null; reasonCode?: ReasonCode | null };
export interface DigestItem {
  reference: string;
  service: string;
  priority: Priority;
  responseHours?: number | null;
  deadline: string;
}
export interface DigestParams {
  date: string;
  region: string;
  items: DigestItem[];
  link: string;
}

const LABELS = {
  fr: {
    hello: 'Bonjour,',
    sep: ' : ',
    reference: 'Référence',
    service: 'Service',
    priority: 'Priorité',
    deadline: 'Réponse attendue avant',
    reason: 'Motif',
    outcome: 'Résultat',
    appointment: 'Rendez-vous',
    note: 'Note du prestataire',
    noteWaiting: 'une note vous attend dans Tawjih (lien ci-dessous)',
    open: 'Ouvrir dans Tawjih',
    footer: 'Ce message ne contient aucune donnée personnelle : connectez-vous pour voir la référence.',
    zone: 'heure du Maroc',
  },
  ar: {
    hello: 'مرحبا،',
    sep: ': ',
    reference: 'المرجع',
    service: 'الخدمة',
    priority: 'الأولوية',
    deadline: 'الرد مطلوب قبل',
    reason: 'السبب',
    outcome: 'النتيجة',
    appointment: 'الموعد',
    note: 'ملاحظة مقدم الخدمة',
    noteWaiting: 'ملاحظة في انتظاركم في توجيه (الرابط أدناه)',
    open: 'افتح في توجيه',
    footer: 'لا تحتوي هذه الرسالة على أي معطيات شخصية: سجّل الدخول للاطلاع على الإحالة.',
    zone: 'بتوقيت المغرب',
  },
  en: {
    hello: 'Hello,',
    sep: ': ',
    reference: 'Reference',
    service: 'Service',
    priority: 'Priority',
    deadline: 'Answer expected before',
    reason: 'Reason',
    outcome: 'Outcome',
    appointment: 'Appointment',
    note: 'Provider’s note',
    noteWaiting: 'a note is waiting for you in Tawjih (link below)',
    open: 'Open in Tawjih',
    footer: 'This message contains no personal data: sign in to see the referral.',
    zone: 'Morocco time',
  },
} satisfies Record<Language, unknown>;

/** A date as people in Oujda read it: "2026-03-02 13:00 (heure du Maroc)" (the vocabulary's one formatter: building one per call cost ≈ 0.5 ms, issue #18). */
export function formatWhen(at: Date, language: Language): string {
  return `${instantToWallTime(at).replace('T', ' ')} (${LABELS[language].zone})`;
}

type Field = 'reference' | 'service' | 'priority' | 'deadline' | 'reason' | 'outcome' | 'appointment' | 'note';

/**
 * One referral e-mail: a subject line, one sentence, the labelled fields and the link. Every
 * referral template goes through here, so none can grow a slot for personal data by accident.
 */
function referralMail<P extends ReferralMailParams>(
  subjects: Record<Language, string>,
  intros: Record<Language, string>,
  fields: (p: P) => Array<[Field, string | null | undefined]>,
  codes: (p: P, l: Language) => Partial<Record<Field, string>> = () => ({}),
): Template<P> {
  const one = (l: Language) => (p: P) => {
    const L = LABELS[l];
    const extra = codes(p, l);
    const lines = fields(p)
      .map(([f, v]) => [f, extra[f] ?? (f === 'priority' ? priorityLabel(p.priority, p.responseHours, l) : f === 'note' && v ? L.noteWaiting : v)] as const)
      .filter(([, v]) => v)
      .map(([f, v]) => `${L[f]}${L.sep}${v}`);
    return {
      subject: `${subjects[l]} ${p.reference}`,
      text: `${L.hello}\n\n${intros[l]}\n\n${lines.join('\n')}\n\n${L.open}${L.sep}${p.link}\n\n${L.footer}\n`,
    };
  };
  return { fr: one('fr'), ar: one('ar'), en: one('en') };
}

const all = (p: ReferralMailParams): Array<[Field, string]> => [
  ['reference', p.reference],
  ['service', p.service],
  ['priority', p.priority],
  ['deadline', p.deadline],
];
const answered = (p: ReferralAnsweredParams): Array<[Field, string | null | undefined]> => [
  ['reference', p.reference],
  ['service', p.service],
  ['reason', p.reasonCode],
  ['appointment', p.appointment],
  ['note', p.noteWaiting ? 'yes' : null],
];
const closed = (p: ReferralClosedParams): Array<[Field, string | null | undefined]> => [
  ['reference', p.reference],
  ['service', p.service],
  ['outcome', p.outcomeCode],
  ['reason', p.reasonCode],
  ['note', p.noteWaiting ? 'yes' : null],
];
const codeLabels = (p: { reasonCode?: ReasonCode | null; outcomeCode?: OutcomeCode | null }, l: Language) => ({
  ...(p.reasonCode ? { reason: label('referralReason', p.reasonCode, l) } : {}),
  ...(p.outcomeCode ? { outcome: label('deliveryOutcome', p.outcomeCode, l) } : {}),
});

export const TEMPLATES = {
  invite: {
    fr: (p) => ({
      subject: p.purpose === 'invite' ? 'Tawjih : votre compte' : 'Tawjih : nouveau mot de passe',
      text: `Bonjour,\n\nChoisissez votre mot de passe Tawjih avec ce lien (valable jusqu’au ${p.expiresAt}) :\n${p.link}\n\nSi vous n’attendiez pas ce message, ignorez-le.\n`,
    }),
    ar: (p) => ({
      subject: p.purpose === 'invite' ? 'توجيه: حسابك' : 'توجيه: كلمة مرور جديدة',
      text: `مرحبا،\n\nاختر كلمة المرور الخاصة بك في توجيه عبر هذا الرابط (صالح حتى ${p.expiresAt}):\n${p.link}\n\nإذا لم تكن تنتظر هذه الرسالة، تجاهلها.\n`,
    }),
    en: (p) => ({
      subject: p.purpose === 'invite' ? 'Tawjih: your account' : 'Tawjih: new password',
      text: `Hello,\n\nChoose your Tawjih password with this link (valid until ${p.expiresAt}):\n${p.link}\n\nIf you did not expect this message, ignore it.\n`,
    }),
  } satisfies Template<InviteParams>,

  /** To the service's focal points, when a referral is sent. */
  referralSent: referralMail<ReferralMailParams>(
    { fr: 'Tawjih : nouvelle orientation', ar: 'توجيه: إحالة جديدة', en: 'Tawjih: new referral' },
    {
      fr: 'Une nouvelle orientation a été adressée à votre service. Merci de l’accepter ou de la décliner avant l’échéance.',
      ar: 'تم توجيه إحالة جديدة إلى خدمتكم. المرجو قبولها أو رفضها قبل انتهاء الأجل.',
      en: 'A new referral was sent to your service. Please accept or decline it before the deadline.',
    },
    all,
  ),
  /** To the referring counsellor. */
  referralAccepted: referralMail<ReferralAnsweredParams>(
    { fr: 'Tawjih : orientation acceptée', ar: 'توجيه: تم قبول الإحالة', en: 'Tawjih: referral accepted' },
    { fr: 'Le prestataire a accepté votre orientation.', ar: 'قبل مقدم الخدمة إحالتكم.', en: 'The provider accepted your referral.' },
    answered,
    codeLabels,
  ),
  referralDeclined: referralMail<ReferralAnsweredParams>(
    { fr: 'Tawjih : orientation déclinée', ar: 'توجيه: تم رفض الإحالة', en: 'Tawjih: referral declined' },
    {
      fr: 'Le prestataire a décliné votre orientation. Vous pouvez réorienter la personne en une étape.',
      ar: 'رفض مقدم الخدمة إحالتكم. يمكنكم إعادة توجيه الشخص في خطوة واحدة.',
      en: 'The provider declined your referral. You can re-refer the person in one step.',
    },
    answered,
    codeLabels,
  ),
  referralCompleted: referralMail<ReferralClosedParams>(
    { fr: 'Tawjih : orientation clôturée', ar: 'توجيه: تم إغلاق الإحالة', en: 'Tawjih: referral completed' },
    {
      fr: 'Le prestataire a enregistré le résultat. Merci de le confirmer avec la personne.',
      ar: 'سجّل مقدم الخدمة النتيجة. المرجو تأكيدها مع الشخص.',
      en: 'The provider recorded the outcome. Please confirm it with the person.',
    },
    closed,
    codeLabels,
  ),
  referralNotCompleted: referralMail<ReferralClosedParams>(
    { fr: 'Tawjih : orientation non aboutie', ar: 'توجيه: إحالة لم تكتمل', en: 'Tawjih: referral not completed' },
    {
      fr: 'Le prestataire n’a pas pu fournir le service.',
      ar: 'لم يتمكن مقدم الخدمة من تقديم الخدمة.',
      en: 'The provider could not provide the service.',
    },
    closed,
    codeLabels,
  ),
  /** To the focal points, when the unit withdraws a referral they had received (drafts never reached them). */
  referralCancelled: referralMail<ReferralClosedParams>(
    { fr: 'Tawjih : orientation annulée', ar: 'توجيه: تم إلغاء الإحالة', en: 'Tawjih: referral cancelled' },
    {
      fr: 'L’unité qui vous avait adressé cette orientation l’a annulée. Aucune suite n’est attendue de votre service.',
      ar: 'ألغت الوحدة التي وجهت إليكم هذه الإحالة هذه الإحالة. لا يُنتظر أي إجراء من خدمتكم.',
      en: 'The unit that sent you this referral has cancelled it. No further action is expected from your service.',
    },
    closed,
    codeLabels,
  ),
  /**
   * To the focal points, when the referring unit shares its corrections to the case (renewed
   * consent): only that something changed and where to read it — never what changed.
   */
  referralShareUpdated: referralMail<ReferralMailParams>(
    { fr: 'Tawjih : informations partagées mises à jour', ar: 'توجيه: تحديث المعطيات المتقاسمة', en: 'Tawjih: shared information updated' },
    {
      fr: 'L’unité qui vous a adressé cette orientation a mis à jour les informations partagées avec votre service. Consultez l’orientation dans Tawjih avant de contacter la personne.',
      ar: 'حدّثت الوحدة التي وجهت إليكم هذه الإحالة المعطيات المتقاسمة مع خدمتكم. اطلعوا على الإحالة في توجيه قبل الاتصال بالشخص.',
      en: 'The unit that sent you this referral has updated the information shared with your service. Read the referral in Tawjih before contacting the person.',
    },
    (p) => [
      ['reference', p.reference],
      ['service', p.service],
    ],
  ),
  /** To the focal points, once, when a sent referral passes its response deadline. */
  referralOverdue: referralMail<ReferralMailParams>(
    { fr: 'Tawjih : orientation en retard', ar: 'توجيه: إحالة متأخرة', en: 'Tawjih: referral overdue' },
    {
      fr: 'Cette orientation attend toujours votre réponse et l’échéance est dépassée.',
      ar: 'لا تزال هذه الإحالة تنتظر ردكم وقد تجاوزت الأجل.',
      en: 'This referral is still waiting for your answer and its deadline has passed.',
    },
    all,
  ),
  /** To the region's coordinators, once, when an overdue referral is still unanswered much later. */
  referralEscalated: referralMail<ReferralMailParams>(
    { fr: 'Tawjih : orientation sans réponse (escalade)', ar: 'توجيه: إحالة بدون رد (تصعيد)', en: 'Tawjih: unanswered referral (escalation)' },
    {
      fr: 'Cette orientation est restée sans réponse bien au-delà de son échéance, malgré un rappel.',
      ar: 'بقيت هذه الإحالة بدون رد بعد أجلها بكثير رغم التذكير.',
      en: 'This referral has stayed unanswered well past its deadline, despite a reminder.',
    },
    all,
  ),
  /** Daily, to each region's coordinators: the overdue referrals of the region. */
  overdueDigest: {
    fr: (p) => ({
      subject: `Tawjih : ${p.items.length} orientation(s) en retard — ${p.region} — ${p.date}`,
      text: `Bonjour,\n\nOrientations en retard dans la région ${p.region} au ${p.date} :\n\n${digestLines(p.items, 'fr')}\n\n${LABELS.fr.open} : ${p.link}\n\n${LABELS.fr.footer}\n`,
    }),
    ar: (p) => ({
      subject: `توجيه: ${p.items.length} إحالة متأخرة — ${p.region} — ${p.date}`,
      text: `مرحبا،\n\nالإحالات المتأخرة في جهة ${p.region} بتاريخ ${p.date}:\n\n${digestLines(p.items, 'ar')}\n\n${LABELS.ar.open}: ${p.link}\n\n${LABELS.ar.footer}\n`,
    }),
    en: (p) => ({
      subject: `Tawjih: ${p.items.length} overdue referral(s) — ${p.region} — ${p.date}`,
      text: `Hello,\n\nOverdue referrals in ${p.region} on ${p.date}:\n\n${digestLines(p.items, 'en')}\n\n${LABELS.en.open}: ${p.link}\n\n${LABELS.en.footer}\n`,
    }),
  } satisfies Template<DigestParams>,
};

function digestLines(items: DigestItem[], l: Language): string {
  const L = LABELS[l];
  return items.map((i) => `- ${i.reference} · ${i.service} · ${priorityLabel(i.priority, i.responseHours, l)} · ${L.deadline} ${i.deadline}`).join('\n');
}

export function render<K extends keyof typeof TEMPLATES>(
  kind: K,
  language: Language,
  params: Parameters<(typeof TEMPLATES)[K]['fr']>[0],
): { subject: string; text: string } {
  const t = TEMPLATES[kind] as Template<typeof params>;
  return (t[language] ?? t.fr)(params);
}
