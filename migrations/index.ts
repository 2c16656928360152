// Every migration, in order. A new one is generated with `npm run migration:generate -- migrations/Name`
// (against a database at the latest schema), read and tidied by a person, then listed here.
import { Foundation1795912968504 } from './1795912968504-Foundation.js';
import { Cases1795913450710 } from './1795913450710-Cases.js';
import { Activities1795913841340 } from './1795913841340-Activities.js';
import { IdempotencyKeys1795913843191 } from './1795913843191-IdempotencyKeys.js';
import { Directory1795914720709 } from './1795914720709-Directory.js';
import { Referrals1795916955562 } from './1795916955562-Referrals.js';
import { CaseCodePrefixIndex1795917323731 } from './1795917323731-CaseCodePrefixIndex.js';
import { RefreshGrace1795920000000 } from './1795920000000-RefreshGrace.js';
import { ReportIndexes1795921000000 } from './1795921000000-ReportIndexes.js';
import { ReferralServiceAnsweredIndex1795922000000 } from './1795922000000-ReferralServiceAnsweredIndex.js';
import { ReferralReplyNote1796156714166 } from './1796156714166-ReferralReplyNote.js';
import { ReferralSharedSnapshot1796156721832 } from './1796156721832-ReferralSharedSnapshot.js';
import { IdempotencyReplayByReference1796157663021 } from './1796157663021-IdempotencyReplayByReference.js';
import { ReportReferralRollup1796158210615 } from './1796158210615-ReportReferralRollup.js';
import { SessionsEndWhenTheyShould1796158232297 } from './1796158232297-SessionsEndWhenTheyShould.js';
import { OutboxClaims1796158353316 } from './1796158353316-OutboxClaims.js';
import { KeyChecks1796158758052 } from './1796158758052-KeyChecks.js';
import { Imports1796161664763 } from './1796161664763-Imports.js';
import { OutboxGiveUpNullable1796162823306 } from './1796162823306-OutboxGiveUpNullable.js';
import { PersonNameIndexes1796163500000 } from './1796163500000-PersonNameIndexes.js';
import { PersonCommune1796170000000 } from './1796170000000-PersonCommune.js';
import { ArabicNames1796171000000 } from './1796171000000-ArabicNames.js';
import { CallerChangeNotices1796172000000 } from './1796172000000-CallerChangeNotices.js';
import { ProviderReportIndex1796173000000 } from './1796173000000-ProviderReportIndex.js';

export const MIGRATIONS: Function[] = [
  Foundation1795912968504,
  Cases1795913450710,
  Activities1795913841340,
  IdempotencyKeys1795913843191,
  Directory1795914720709,
  Referrals1795916955562,
  CaseCodePrefixIndex1795917323731,
  RefreshGrace1795920000000,
  ReportIndexes1795921000000,
  ReferralServiceAnsweredIndex1795922000000,
  ReferralReplyNote1796156714166,
  ReferralSharedSnapshot1796156721832,
  IdempotencyReplayByReference1796157663021,
  ReportReferralRollup1796158210615,
  SessionsEndWhenTheyShould1796158232297,
  OutboxClaims1796158353316,
  KeyChecks1796158758052,
  Imports1796161664763,
  OutboxGiveUpNullable1796162823306,
  PersonNameIndexes1796163500000,
  PersonCommune1796170000000,
  ArabicNames1796171000000,
  CallerChangeNotices1796172000000,
  ProviderReportIndex1796173000000,
];
