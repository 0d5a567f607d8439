import { probeHttp } from './probes.js';
import { defineService } from './service.js';

export const PREFECT_PORT = 4200;

export interface PrefectConnection {
  /** The server's API, e.g. http://127.0.0.1:54200/api (PREFECT_API_URL). */
  apiUrl: string;
}

/** Ready when the server's health endpoint answers. */
export function probePrefect(conn: PrefectConnection): Promise<void> {
  return probeHttp(`${conn.apiUrl}/health`);
}

export class StartedPrefect {
  constructor(readonly connection: PrefectConnection) {}
}

export const prefectService = defineService({
  name: 'prefect',
  role: 'orchestrator',
  containerPort: PREFECT_PORT,
  fromCompose: (at): PrefectConnection => ({ apiUrl: `http://${at.host}:${at.port}/api` }),
  probe: probePrefect,
  where: (c) => c.apiUrl,
  start: (c) => new StartedPrefect(c),
});
