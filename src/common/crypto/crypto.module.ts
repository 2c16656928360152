import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { FieldCipher } from './field-cipher.js';
import { KeyRotationRepository } from './key-rotation.repository.js';
import { KeyRotationService } from './key-rotation.service.js';

@Global()
@Module({
  providers: [
    {
      provide: FieldCipher,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new FieldCipher(c.crypto.keys, c.crypto.activeKey, c.crypto.blindIndexKey),
    },
    KeyRotationRepository,
    KeyRotationService,
  ],
  exports: [FieldCipher, KeyRotationService],
})
export class CryptoModule {}
