import {
  AppstoreOutlined,
  AuditOutlined,
  CalculatorOutlined,
  FundOutlined,
  HomeOutlined,
  IdcardOutlined,
  SearchOutlined,
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
};

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
  {
    path: '/registry/search',
    labelKey: 'nav.personSearch',
    roles: ['staff', 'area_admin', 'city_admin'],
    icon: <SearchOutlined />,
    page: lazy(() => import('./pages/person-search.tsx')),
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
