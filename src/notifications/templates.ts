import type { Language } from '../authorization/actor.js';

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
};

export function render<K extends keyof typeof TEMPLATES>(
  kind: K,
  language: Language,
  params: Parameters<(typeof TEMPLATES)[K]['fr']>[0],
): { subject: string; text: string } {
  const t = TEMPLATES[kind] as Template<typeof params>;
  return (t[language] ?? t.fr)(params);
}
