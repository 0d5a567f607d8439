import { Kafka, logLevel, type Admin } from 'kafkajs';
import { z } from 'zod';
import { defineService } from './service.js';

export const KAFKA_PORT = 9092;

export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
}

function kafkaClient(conn: KafkaConnection): Kafka {
  return new Kafka({ clientId: conn.clientId ?? 'lakehouse-lab', brokers: conn.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 0 } });
}

/** Ready when a metadata request lists at least one broker and the controller. */
export async function probeKafka(conn: KafkaConnection): Promise<void> {
  const admin: Admin = kafkaClient(conn).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster lists no broker yet');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export class StartedKafka {
  constructor(readonly connection: KafkaConnection) {}

  get bootstrapServers(): string {
    return this.connection.brokers.join(',');
  }

  /** A kafkajs client with retries, for producers, consumers and admin. */
  client(clientId = 'lakehouse-lab'): Kafka {
    return new Kafka({ clientId, brokers: this.connection.brokers, logLevel: logLevel.NOTHING });
  }
}

const RemoteSection = z.object({ brokers: z.array(z.string()).min(1) }).strict();

export const kafkaService = defineService({
  name: 'kafka',
  role: 'stream',
  containerPort: KAFKA_PORT,
  localImages: { 'apache/kafka:3.9.1': 'kafka' },
  fromCompose: (at): KafkaConnection => ({ brokers: [`${at.host}:${at.port}`] }),
  remote: {
    key: 'kafka',
    schema: RemoteSection,
    location: ['LAB_REMOTE_KAFKA_BROKERS'],
    secrets: [],
    fromEnv: (env, file) => (env.LAB_REMOTE_KAFKA_BROKERS ? { brokers: env.LAB_REMOTE_KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) } : file),
    connect: (section): KafkaConnection => ({ brokers: section.brokers }),
    async clean(kafka, names) {
      const admin = kafka.client('lakehouse-lab-cleanup').admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(names.topicPrefix));
        if (!topics.length) return [];
        await admin.deleteTopics({ topics });
        return [`${topics.length} kafka topic${topics.length === 1 ? '' : 's'} ${names.topicPrefix}*`];
      } finally {
        await admin.disconnect();
      }
    },
  },
  probe: probeKafka,
  where: (c) => c.brokers.join(','),
  start: (c) => new StartedKafka(c),
});
