/**
 * Permissions by role: the first layer of authorization (per route). The second layer, per
 * record, is the actor's scope, applied in every store query (see `scope.ts`).
 */
import type { Role } from '../../db/schema.ts';

export const PERMISSIONS = [
  'self.read',
  'person.read',
  'person.search',
  'person.reveal',
  'childcare.read',
  'user.read',
  'user.manage',
  'session.revoke',
  'audit.read',
  'audit.verify',
  'area.read',
  'budget.simulate',
  'job.read',
  'import.run',
  'review.decide',
  'quality.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const STAFF: Permission[] = [
  'person.read',
  'person.search',
  'childcare.read',
  'area.read',
  'job.read',
  // registry: department imports, the linkage review queue, the quality dashboard
  'import.run',
  'review.decide',
  'quality.read',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  citizen: ['self.read', 'childcare.read', 'area.read'],
  staff: STAFF,
  area_admin: [...STAFF, 'person.reveal', 'user.read', 'user.manage', 'session.revoke', 'budget.simulate'],
  city_admin: [...STAFF, 'person.reveal', 'user.read', 'user.manage', 'session.revoke', 'budget.simulate'],
  // The auditor reads the audit and nothing else.
  auditor: ['audit.read', 'audit.verify', 'area.read'],
};

/** Roles that must present a second factor (TOTP) at sign-in. */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['staff', 'area_admin', 'city_admin', 'auditor'];

export function permissionsOf(role: Role): Set<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}
