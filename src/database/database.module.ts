import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source-options.js';
import { TransactionHost } from './transaction.js';
import { ReadReplica, ReplicaReadsInterceptor } from './read-replica.js';
import { CallerNotices, callerNoticesOf, withCallerNotices } from './caller-notices.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({
        ...withCallerNotices(dataSourceOptions({ ...c.database, url: c.database.url! })),
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    TransactionHost,
    {
      provide: CallerNotices,
      inject: [DataSource],
      useFactory: (primary: DataSource) => {
        const notices = callerNoticesOf(primary.options.extra);
        if (!notices) throw new Error('the primary data source was made without caller notices');
        return notices;
      },
    },
    ReplicaReadsInterceptor,
    {
      provide: ReadReplica,
      inject: [DataSource, APP_CONFIG],
      useFactory: async (primary: DataSource, c: AppConfig) => {
        const replica = new ReadReplica(primary, c);
        await replica.connect();
        return replica;
      },
    },
  ],
  exports: [TransactionHost, CallerNotices, ReadReplica, ReplicaReadsInterceptor],
})
export class DatabaseModule {}
