import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessage } from './outbox-message.entity.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';
import { OutboxWorker } from './outbox.worker.js';
import { MailTransport } from './mail.transport.js';
import { NotificationsListener } from './notifications.listener.js';
import { NotificationsController } from './notifications.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  controllers: [NotificationsController],
  providers: [OutboxRepository, OutboxService, OutboxWorker, MailTransport, NotificationsListener],
  exports: [OutboxRepository, OutboxService, OutboxWorker],
})
export class NotificationsModule {}
