import { probeHttp } from './probes.js';
import { defineService } from './service.js';

export const ICEBERG_REST_PORT = 8181;

export interface IcebergCatalogConnection {
  url: string;
}

/** Ready when the catalog answers its config endpoint (GET /v1/config, the first call of every client). */
export function probeIcebergCatalog(conn: IcebergCatalogConnection): Promise<void> {
  return probeHttp(new URL('/v1/config', conn.url).href);
}

/** An Iceberg REST catalog that answers; Trino and Spark reach it inside the stack, the runner only probes it. */
export class StartedIcebergCatalog {
  constructor(readonly connection: IcebergCatalogConnection) {}
}

export const icebergRestService = defineService({
  name: 'iceberg-rest',
  role: 'catalog',
  containerPort: ICEBERG_REST_PORT,
  localImages: { 'tabulario/iceberg-rest:1.6.0': 'iceberg-rest' },
  fromCompose: (at): IcebergCatalogConnection => ({ url: `http://${at.host}:${at.port}` }),
  probe: probeIcebergCatalog,
  where: (c) => c.url,
  start: (c) => new StartedIcebergCatalog(c),
});
