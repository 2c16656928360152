// The framework's floor for the report scenarios: the fixed stack's HTTP layer (NestJS on its Express
// adapter, as the app runs it) serving nothing but each report scenario's hand-written SQL, on a pool
// set up like the floor server's (JIT off, 3 connections). No authentication, no validation beyond
// the fixtures' own check, no interceptors, no logging. What the app takes over this is the app's own
// work; what this takes over the floor server (node:http) is the framework's. Started by run.ts.
import 'reflect-metadata';
import { Controller, Get, Module, Param, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Request } from 'express';
import pg from 'pg';
import { REPORT_SCENARIOS, reportFixturesFrom } from './reports.scenario.js';

const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3, application_name: 'tawjih-nest-floor', options: '-c jit=off' });

@Controller()
class NestFloorController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('report/:scenario')
  async report(@Param('scenario') name: string, @Req() req: Request) {
    const scenario = REPORT_SCENARIOS.find((s) => s.name === name);
    if (!scenario?.floorSql) throw new Error(`no report scenario ${name}`);
    return scenario.floorSql(db, reportFixturesFrom(new URL(req.url, 'http://x').searchParams));
  }
}

@Module({ controllers: [NestFloorController] })
class NestFloorModule {}

const app = await NestFactory.create(NestFloorModule, { logger: ['error'] });
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => void app.close().then(() => db.end()));
