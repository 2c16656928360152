import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../authorization/policies.js';
import { notFound } from '../common/domain-error.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { Language } from '../vocabulary/index.js';
import { ApiView } from '../common/api-views.js';
import { FhirBundleQuery } from './dto/referral.dto.js';
import { FhirResourceView } from './referral.views.js';
import {
  capabilityStatement,
  codeSystemResource,
  EXTENSIONS,
  FhirCanon,
  LISTED_CODE_SYSTEMS,
  NAMING_SYSTEMS,
  namingSystemResource,
  SERVICE_SYSTEM,
  structureDefinitionResource,
  valueSetResource,
} from './fhir-terminology.js';

type Json = Record<string, unknown>;

/**
 * The canonical URLs of what our referral Bundles use, resolvable: a receiving system (or a
 * validator) reads each CodeSystem, ValueSet, extension StructureDefinition and NamingSystem here.
 * Public on purpose: terminology, no data about anyone.
 */
@ApiTags('fhir')
@Controller('fhir')
export class FhirTerminologyController {
  private readonly canon: FhirCanon;
  /** The artefacts change only with a release: their date is this process's start. */
  private readonly date = new Date().toISOString();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.canon = new FhirCanon(config.publicUrl);
  }

  private send(res: Response, resource: Json | null, what: string): Json {
    if (!resource) throw notFound(what);
    res.type('application/fhir+json');
    return resource;
  }

  @Get('metadata')
  @Public()
  @ApiOperation({ summary: 'FHIR CapabilityStatement: what this server serves (read-only terminology and extensions).' })
  @ApiView(FhirResourceView, { contentType: 'application/fhir+json' })
  metadata(@Query() q: FhirBundleQuery, @Res({ passthrough: true }) res: Response) {
    return this.send(res, capabilityStatement(this.canon, this.date, lang(q)), 'resource');
  }

  @Get('CodeSystem/:id')
  @Public()
  @ApiParam({ name: 'id', enum: [...Object.keys(LISTED_CODE_SYSTEMS), SERVICE_SYSTEM] })
  @ApiOperation({ summary: 'A local FHIR CodeSystem (codes with displays in the asked language, designations in the others).' })
  @ApiView(FhirResourceView, { contentType: 'application/fhir+json' })
  codeSystem(@Param('id') id: string, @Query() q: FhirBundleQuery, @Res({ passthrough: true }) res: Response) {
    return this.send(res, codeSystemResource(this.canon, id, lang(q)), 'code system');
  }

  @Get('ValueSet/:id')
  @Public()
  @ApiParam({ name: 'id', enum: Object.keys(LISTED_CODE_SYSTEMS) })
  @ApiOperation({ summary: 'The value set of every code of a local CodeSystem.' })
  @ApiView(FhirResourceView, { contentType: 'application/fhir+json' })
  valueSet(@Param('id') id: string, @Query() q: FhirBundleQuery, @Res({ passthrough: true }) res: Response) {
    return this.send(res, valueSetResource(this.canon, id, lang(q)), 'value set');
  }

  @Get('StructureDefinition/:id')
  @Public()
  @ApiParam({ name: 'id', enum: Object.keys(EXTENSIONS) })
  @ApiOperation({ summary: 'A local extension (StructureDefinition).' })
  @ApiView(FhirResourceView, { contentType: 'application/fhir+json' })
  structureDefinition(@Param('id') id: string, @Query() q: FhirBundleQuery, @Res({ passthrough: true }) res: Response) {
    return this.send(res, structureDefinitionResource(this.canon, id, lang(q)), 'structure definition');
  }

  @Get('NamingSystem/:id')
  @Public()
  @ApiParam({ name: 'id', enum: Object.keys(NAMING_SYSTEMS) })
  @ApiOperation({ summary: 'A local identifier system (NamingSystem).' })
  @ApiView(FhirResourceView, { contentType: 'application/fhir+json' })
  namingSystem(@Param('id') id: string, @Query() q: FhirBundleQuery, @Res({ passthrough: true }) res: Response) {
    return this.send(res, namingSystemResource(this.canon, id, lang(q), this.date), 'naming system');
  }
}

const lang = (q: FhirBundleQuery): Language => q.lang ?? 'fr';
