import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppAbility } from '../authorization/ability.factory.js';
import type { Actor } from '../authorization/actor.js';
import { Can, CurrentAbility, CurrentActor } from '../authorization/policies.js';
import { API } from '../common/api.js';
import { Dhis2Query, ExportQuery } from './dto/dhis2-query.dto.js';
import { IndicatorQuery, RegionalReportQuery } from './dto/indicator-query.dto.js';
import { FactsheetService } from './factsheet.service.js';
import { ReportOutputsService } from './report-outputs.service.js';
import { ReportingService } from './reporting.service.js';
import { DOWNLOAD_CONTENT_TYPES, attachment } from '../common/attachment.js';
import { currentLagSeconds, LagTolerant } from '../database/read-replica.js';
import { ApiFile, ApiView } from '../common/api-views.js';
import { DataValueSetView, FactsheetView, IndicatorsAnswerView } from './reporting.views.js';

@ApiTags('reports')
@ApiBearerAuth()
@Controller(`${API}/reports`)
@LagTolerant()
export class ReportingController {
  constructor(
    private readonly reporting: ReportingService,
    private readonly outputs: ReportOutputsService,
    private readonly factsheets: FactsheetService,
  ) {}

  /** Indicator values with totals and a suppression mark per cell, within the caller's scope. */
  @Get('indicators')
  @ApiView(IndicatorsAnswerView)
  @Can('read', 'Report')
  async indicators(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: IndicatorQuery) {
    // Read on the replica when there is one: the report says how old its figures may be.
    return { ...(await this.reporting.indicators(actor, ability, q)), dataLagSeconds: currentLagSeconds() };
  }

  /** The factsheet's "putting policies into practice" section for a region and period. */
  @Get('factsheet')
  @ApiView(FactsheetView)
  @Can('read', 'Report')
  factsheet(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: RegionalReportQuery) {
    return this.factsheets.build(actor, ability, q);
  }

  /** The same tables as CSV or XLSX, streamed. */
  @Get('indicators/export')
  @Can('export', 'Report')
  @ApiProduces(DOWNLOAD_CONTENT_TYPES.csv, DOWNLOAD_CONTENT_TYPES.xlsx)
  @ApiFile([DOWNLOAD_CONTENT_TYPES.csv, DOWNLOAD_CONTENT_TYPES.xlsx], { description: 'The indicator tables (`format`)' })
  async export(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: ExportQuery, @Res() res: Response): Promise<void> {
    const { format, ...query } = q;
    const prepared = await this.outputs.prepareTable(actor, ability, query);
    attachment(res, format, `tawjih-indicators-${q.from}-${q.to}`);
    await this.outputs.writeTable(format, prepared, res);
  }

  /** The regional report for a period: figures, charts and a short narrative, as PDF. */
  @Get('regional')
  @Can('export', 'Report')
  @ApiProduces(DOWNLOAD_CONTENT_TYPES.pdf)
  @ApiFile([DOWNLOAD_CONTENT_TYPES.pdf], { description: 'The regional report (PDF)' })
  async regional(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: RegionalReportQuery, @Res() res: Response): Promise<void> {
    const data = await this.outputs.prepareRegionalReport(actor, ability, q);
    attachment(res, 'pdf', `tawjih-regional-report-${q.from}-${q.to}`);
    await this.outputs.writeRegionalReport(data, res);
  }

  /** DHIS2 `dataValueSets` JSON for a DHIS2 period, through the configured mapping. */
  @Get('dhis2')
  @ApiView(DataValueSetView)
  @Can('export', 'Report')
  async dhis2(@CurrentActor() actor: Actor, @CurrentAbility() ability: AppAbility, @Query() q: Dhis2Query, @Res({ passthrough: true }) res: Response) {
    const { payload, skipped } = await this.outputs.dhis2(actor, ability, q);
    res.setHeader('X-Tawjih-Skipped-Values', String(skipped.length));
    return payload;
  }
}
