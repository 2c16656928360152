import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { UsersModule } from '../users/users.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthListener } from './auth.listener.js';
import { LoginThrottle } from './login-throttle.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { LocalStrategy } from './local.strategy.js';
import { SessionCookies } from './session-cookies.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([RefreshToken]),
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({
        // A KeyObject, as in JwtStrategy: given a string, jsonwebtoken tries to parse it as a public key on
        // every sign and verify (the profile of a signed-in request showed ≈ 14 % of its CPU there).
        secret: createSecretKey(Buffer.from(c.auth.jwtSecret, 'utf8')) as unknown as string,
        signOptions: { algorithm: 'HS256', expiresIn: c.auth.accessTtlSeconds, issuer: c.auth.issuer, audience: 'tawjih-api' },
        verifyOptions: { algorithms: ['HS256'], issuer: c.auth.issuer, audience: 'tawjih-api' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AuthListener,
    LoginThrottle,
    TokensService,
    RefreshTokensRepository,
    LocalStrategy,
    JwtStrategy,
    SessionCookies,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, SessionCookies],
})
export class AuthModule {}
