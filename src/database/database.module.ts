import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source-options.js';
import { TransactionHost } from './transaction.js';
import { ReadReplica, ReplicaReadsInterceptor } from './read-replica.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({
        ...dataSourceOptions({ ...c.database, url: c.database.url! }),
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    TransactionHost,
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
  exports: [TransactionHost, ReadReplica, ReplicaReadsInterceptor],
})
export class DatabaseModule {}
