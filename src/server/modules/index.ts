import type { App, ServerDeps } from '../http.ts';
import { areaRoutes } from './areas/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { budgetRoutes } from './budget/routes.ts';
import { childcareRoutes } from './childcare/routes.ts';
import { entitlementRoutes } from './entitlements/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { personRoutes } from './persons/routes.ts';
import { registryRoutes } from './registry/routes.ts';
import { userRoutes } from './users/routes.ts';

/** Every API module, registered under /api. */
export async function registerModules(app: App, deps: ServerDeps): Promise<void> {
  await healthRoutes(app, deps);
  await app.register(
    async (v1) => {
      await authRoutes(v1 as App, deps);
      await areaRoutes(v1 as App, deps);
      await childcareRoutes(v1 as App, deps);
      await entitlementRoutes(v1 as App, deps);
      await personRoutes(v1 as App, deps);
      await registryRoutes(v1 as App, deps);
      await userRoutes(v1 as App, deps);
      await auditRoutes(v1 as App, deps);
      await budgetRoutes(v1 as App, deps);
      await jobRoutes(v1 as App, deps);
    },
    { prefix: '/api/v1' },
  );
}
