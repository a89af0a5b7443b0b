import {
  AppstoreOutlined,
  AuditOutlined,
  CalculatorOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  FundOutlined,
  HomeOutlined,
  IdcardOutlined,
  SearchOutlined,
  SolutionOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { Role } from './api/types.ts';

/**
 * The app's pages in one table: path, menu label (an i18n key), who may open it and its icon.
 * The layout builds the menu from it and the router guards each route with `roles`.
 * `'public'` pages open without signing in. Add a page: a file under pages/ and a row here.
 */
export type AppRoute = {
  path: string;
  labelKey: string;
  roles: readonly Role[] | 'public';
  icon: ReactNode;
  page: LazyExoticComponent<ComponentType>;
  /** false hides the route from the menu (still routable). */
  menu?: boolean;
  /** A menu group's label key: consecutive routes of one group are listed under its title. */
  group?: string;
};

const REGISTRY_ROLES: readonly Role[] = ['staff', 'area_admin', 'city_admin'];

const SIGNED_IN: readonly Role[] = ['citizen', 'staff', 'area_admin', 'city_admin', 'auditor'];

export const appRoutes: readonly AppRoute[] = [
  {
    path: '/citizen',
    labelKey: 'nav.citizen',
    roles: ['citizen'],
    icon: <IdcardOutlined />,
    page: lazy(() => import('./pages/citizen-records.tsx')),
  },
  {
    path: '/workbench',
    labelKey: 'nav.workbench',
    roles: ['staff', 'area_admin', 'city_admin'],
    icon: <AppstoreOutlined />,
    page: lazy(() => import('./pages/workbench.tsx')),
  },
  // 人口登记: search, department imports, the review queue, data quality; the person record.
  {
    path: '/registry/search',
    labelKey: 'nav.personSearch',
    roles: REGISTRY_ROLES,
    icon: <SearchOutlined />,
    page: lazy(() => import('./pages/person-search.tsx')),
    group: 'nav.registryGroup',
  },
  {
    path: '/registry/imports',
    labelKey: 'nav.imports',
    roles: REGISTRY_ROLES,
    icon: <CloudUploadOutlined />,
    page: lazy(() => import('./pages/registry-imports.tsx')),
    group: 'nav.registryGroup',
  },
  {
    path: '/registry/reviews',
    labelKey: 'nav.reviews',
    roles: REGISTRY_ROLES,
    icon: <SolutionOutlined />,
    page: lazy(() => import('./pages/registry-reviews.tsx')),
    group: 'nav.registryGroup',
  },
  {
    path: '/registry/quality',
    labelKey: 'nav.quality',
    roles: REGISTRY_ROLES,
    icon: <DashboardOutlined />,
    page: lazy(() => import('./pages/registry-quality.tsx')),
    group: 'nav.registryGroup',
  },
  {
    path: '/registry/persons/:id',
    labelKey: 'nav.personRecord',
    roles: REGISTRY_ROLES,
    icon: <UserOutlined />,
    page: lazy(() => import('./pages/registry-person.tsx')),
    menu: false,
    group: 'nav.registryGroup',
  },
  {
    path: '/childcare/targets',
    labelKey: 'nav.childcareTargets',
    roles: SIGNED_IN,
    icon: <HomeOutlined />,
    page: lazy(() => import('./pages/childcare-targets.tsx')),
  },
  {
    path: '/planning/budget',
    labelKey: 'nav.budget',
    roles: ['city_admin', 'area_admin'],
    icon: <FundOutlined />,
    page: lazy(() => import('./pages/budget.tsx')),
  },
  {
    path: '/calculator',
    labelKey: 'nav.calculator',
    roles: 'public',
    icon: <CalculatorOutlined />,
    page: lazy(() => import('./pages/calculator.tsx')),
  },
  {
    path: '/audit',
    labelKey: 'nav.audit',
    roles: ['auditor'],
    icon: <AuditOutlined />,
    page: lazy(() => import('./pages/audit.tsx')),
  },
];

export function canOpen(route: AppRoute, role: Role | null): boolean {
  if (route.roles === 'public') return true;
  return role !== null && route.roles.includes(role);
}

/** Menu entries the given role (null: signed out) may see, in table order. */
export function menuRoutes(role: Role | null): AppRoute[] {
  return appRoutes.filter((r) => r.menu !== false && canOpen(r, role));
}

/** Where each role lands after sign-in (and on `/`). */
export function homePathFor(role: Role | null): string {
  switch (role) {
    case 'citizen':
      return '/citizen';
    case 'staff':
      return '/workbench';
    case 'auditor':
      return '/audit';
    case 'area_admin':
    case 'city_admin':
      return '/childcare/targets';
    default:
      return '/login';
  }
}
