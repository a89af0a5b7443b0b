import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../auth/auth-context.tsx';
import { type AppRoute, canOpen, homePathFor } from '../routes.tsx';
import { PageSpinner } from './page-spinner.tsx';

/** Renders a route's page if the signed-in role may open it; else sign-in or a 403 page. */
export function RouteGuard({ route }: { route: AppRoute }) {
  const { user } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  const Page = route.page;

  if (route.roles !== 'public') {
    if (user === undefined) return <PageSpinner />;
    if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
    if (!canOpen(route, user.role)) {
      return (
        <Result
          status="403"
          title="403"
          subTitle={t('errors.forbidden')}
          extra={
            <Link to={homePathFor(user.role)}>
              <Button type="primary">{t('errors.backHome')}</Button>
            </Link>
          }
        />
      );
    }
  }
  return <Page />;
}
