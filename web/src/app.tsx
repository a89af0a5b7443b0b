import { App as AntApp, ConfigProvider } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/auth-context.tsx';
import { PageSpinner } from './components/page-spinner.tsx';
import { RouteGuard } from './components/route-guard.tsx';
import { AppLayout } from './layout/app-layout.tsx';
import { appRoutes, homePathFor } from './routes.tsx';

// antd's locale files are ES modules that TypeScript (NodeNext) reads as CommonJS, so the
// default import is typed as the module object; Vite hands us the locale itself.
function interopDefault<T extends object>(m: T | { default: T }): T {
  return 'default' in m ? m.default : m;
}
const enUS = interopDefault(enUSModule);
const zhCN = interopDefault(zhCNModule);

const LoginPage = lazy(() => import('./pages/login.tsx'));
const NotFoundPage = lazy(() => import('./pages/not-found.tsx'));

function HomeRedirect() {
  const { user } = useAuth();
  if (user === undefined) return <PageSpinner />;
  return <Navigate to={homePathFor(user?.role ?? null)} replace />;
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#0f6ecd', borderRadius: 6 } }}
    >
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route
                path="/login"
                element={
                  <Suspense fallback={<PageSpinner />}>
                    <LoginPage />
                  </Suspense>
                }
              />
              <Route element={<AppLayout />}>
                <Route index element={<HomeRedirect />} />
                {appRoutes.map((route) => (
                  <Route key={route.path} path={route.path} element={<RouteGuard route={route} />} />
                ))}
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
