import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { FieldCipher } from './field-cipher.js';
import { KeyCheckRepository } from './key-check.repository.js';
import { KeyCheckService } from './key-check.service.js';
import { KeyRotationRepository } from './key-rotation.repository.js';
import { KeyRotationService } from './key-rotation.service.js';

@Global()
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [APP_CONFIG],
      // Locked until KeyCheckService has proven every key against its check value.
      useFactory: (c: AppConfig) => new FieldCipher(c.crypto.keys, c.crypto.activeKey, c.crypto.blindIndexKey, { locked: true }),
    },
    KeyCheckRepository,
    KeyCheckService,
    KeyRotationRepository,
    KeyRotationService,
  ],
  exports: [FieldCipher, KeyRotationService],
})
export class CryptoModule {}
