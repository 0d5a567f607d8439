import { LabError } from '../errors.js';
import { icebergRestService } from './iceberg-rest.js';
import { kafkaService } from './kafka.js';
import { postgresService } from './postgres.js';
import { prefectService } from './prefect.js';
import { redisService } from './redis.js';
import type { Role } from './roles.js';
import { s3Service } from './s3.js';
import type { ServiceModule } from './service.js';
import { sparkService } from './spark.js';
import { trinoService } from './trino.js';
import { weaviateService } from './weaviate.js';

/** Every service a stack can run, one module each: adding a service is adding a module here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SERVICES: ReadonlyArray<ServiceModule<Role, any, any>> = [postgresService, redisService, kafkaService, s3Service, icebergRestService, trinoService, sparkService, weaviateService, prefectService];

/** The module that plays a role in a stack (a compose service's io.lakehouse-lab.role label). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function serviceForRole(role: string): ServiceModule<Role, any, any> | undefined {
  return SERVICES.find((s) => s.role === role);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function requireServiceForRole(role: string): ServiceModule<Role, any, any> {
  const module = serviceForRole(role);
  if (!module) throw new LabError(`No service module plays the role '${role}'.`, `Roles with a module: ${SERVICES.map((s) => s.role).join(', ')}.`);
  return module;
}

/** Which local recipe (compose/images/<recipe>) stands in for which pinned upstream image. */
export function localImageRecipes(): Record<string, string> {
  return Object.assign({}, ...SERVICES.map((s) => s.localImages ?? {}));
}
