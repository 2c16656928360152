import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { PlacesModule } from '../places/places.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { Csrf, CsrfMiddleware } from './csrf.js';
import { Views } from './views.service.js';
import { WebErrorPages } from './web-error-pages.js';
import { DASHBOARD_SOURCES, type DashboardSource } from './dashboard-cards.js';
import { AuthPagesController } from './pages/auth-pages.controller.js';
import { DashboardController } from './pages/home.controller.js';
import { AccountController } from './pages/account.controller.js';
import { AdminDashboard, AdminPagesController } from './pages/admin-pages.controller.js';
import { CasesDashboard, CasesPagesController } from './pages/cases-pages.controller.js';
import { CasesModule } from '../cases/cases.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { ReferralsModule } from '../referrals/referrals.module.js';
import { ReferralsDashboard, ReferralsPagesController } from './pages/referrals-pages.controller.js';
import { DirectoryPagesController } from './pages/directory-pages.controller.js';
import { ServicesDashboard, ServicesPagesController } from './pages/services-pages.controller.js';
import { AuditModule } from '../audit/audit.module.js';
import { ReportingModule } from '../reporting/reporting.module.js';
import { ReportsDashboard, ReportsPagesController } from './pages/reports-pages.controller.js';
import { ActivitiesModule } from '../activities/activities.module.js';
import { ActivitiesDashboard, ActivitiesPagesController } from './pages/activities-pages.controller.js';
import { ImportsModule } from '../imports/imports.module.js';
import { ImportsPagesController } from './pages/imports-pages.controller.js';

// Order matters where paths overlap: POST /cases/:id/refer (referrals) before POST /cases/:id/:record (cases).
const CONTROLLERS = [AuthPagesController, DashboardController, AccountController, AdminPagesController, ReferralsPagesController, CasesPagesController, DirectoryPagesController, ServicesPagesController, ReportsPagesController, ActivitiesPagesController, ImportsPagesController];

/**
 * Server-rendered pages over the same services as the API (web → features, never the reverse).
 * Sessions are the API's tokens in cookies (auth/session-cookies.ts, resolved by the global
 * guard); every form POST carries an anti-forgery token (csrf.ts).
 */
@Module({
  imports: [AuthModule, UsersModule, OrganisationsModule, PlacesModule, NotificationsModule, CasesModule, AuditModule, DirectoryModule, ReferralsModule, ReportingModule, ActivitiesModule, ImportsModule],
  controllers: CONTROLLERS,
  providers: [
    Csrf,
    Views,
    WebErrorPages,
    AdminDashboard,
    CasesDashboard,
    ReferralsDashboard,
    ServicesDashboard,
    ReportsDashboard,
    ActivitiesDashboard,
    { provide: DASHBOARD_SOURCES, inject: [CasesDashboard, ReferralsDashboard, ServicesDashboard, ReportsDashboard, ActivitiesDashboard, AdminDashboard], useFactory: (...sources: DashboardSource[]) => sources },
  ],
  exports: [WebErrorPages],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The uploads (register, service map) are multipart: their token is only readable once parsed, so those routes check it themselves.
    consumer
      .apply(CsrfMiddleware)
      .exclude({ path: 'imports', method: RequestMethod.POST }, { path: 'my-services/import', method: RequestMethod.POST })
      .forRoutes(...CONTROLLERS);
  }
}
