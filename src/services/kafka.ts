import { Kafka, logLevel, type Admin } from 'kafkajs';

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
