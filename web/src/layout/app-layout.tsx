import { GlobalOutlined, LoginOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography } from 'antd';
import { type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { User } from '../api/types.ts';
import { useAuth } from '../auth/auth-context.tsx';
import { PageSpinner } from '../components/page-spinner.tsx';
import { currentLanguage, setLanguage } from '../i18n/index.ts';
import { managementAreaLabel } from '../lib/area-names.ts';
import { menuRoutes } from '../routes.tsx';

const { Header, Sider, Content, Footer } = Layout;

function Brand({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" className="app-brand" aria-label={`${t('app.name')} ${t('app.nameLatin')}`}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span className="app-brand-name">
        {t('app.name')} <span className="app-brand-latin">{t('app.nameLatin')}</span>
      </span>
      {!compact && <span className="app-brand-tagline">{t('app.tagline')}</span>}
    </Link>
  );
}

export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const next = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      size={size}
      icon={<GlobalOutlined />}
      onClick={() => void setLanguage(next)}
      data-testid="lang-switch"
      aria-label={`${t('lang.label')}: ${t(`lang.${next}`)}`}
      lang={next}
    >
      {t(`lang.${next}`)}
    </Button>
  );
}

function UserSummary({ user, vertical }: { user: User; vertical: boolean }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const area = (user.areaCode && managementAreaLabel(user.areaCode, lang)) || user.areaName;
  const department = lang === 'en' ? (user.departmentNameEn ?? user.departmentName) : user.departmentName;
  const scope = [area ?? t('header.cityWide'), department].filter(Boolean).join(' · ');
  return (
    <Space
      orientation={vertical ? 'vertical' : 'horizontal'}
      size={vertical ? 2 : 8}
      className="app-user"
      data-testid="user-summary"
    >
      <span className="app-user-name">
        <UserOutlined /> {user.displayName}
      </span>
      <Tag color="blue" className="app-user-role">
        {t(`roles.${user.role}`)}
      </Tag>
      {user.role !== 'citizen' && (
        <Typography.Text type="secondary" data-testid="user-scope">
          {scope}
        </Typography.Text>
      )}
    </Space>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const { user, signOut } = useAuth();
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const navigate = useNavigate();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // Before the first measurement useBreakpoint() is empty; treat that as a wide screen only
  // when md is explicitly reported, so phones never flash the sider.
  const mobile = !screens.md;

  // Routes of one group sit under the group's title (an item group: always open).
  type Leaf = { key: string; icon: ReactNode; label: ReactNode };
  type Group = { type: 'group'; key: string; label: ReactNode; children: Leaf[] };
  const items: (Leaf | Group)[] = [];
  const leaves: Leaf[] = [];
  for (const r of menuRoutes(user?.role ?? null)) {
    const leaf = { key: r.path, icon: r.icon, label: <Link to={r.path}>{t(r.labelKey)}</Link> };
    leaves.push(leaf);
    const last = items[items.length - 1];
    if (!r.group) items.push(leaf);
    else if (last && 'type' in last && last.key === r.group) last.children.push(leaf);
    else items.push({ type: 'group', key: r.group, label: t(r.group), children: [leaf] });
  }
  const selected = leaves.filter((i) => location.pathname.startsWith(i.key)).map((i) => i.key);

  const onSignOut = async () => {
    setDrawerOpen(false);
    await signOut();
    navigate('/login', { replace: true });
  };

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      onClick={() => setDrawerOpen(false)}
      className="app-menu"
      aria-label="main"
    />
  );

  const signInButton = (
    <Link to="/login" state={{ from: location.pathname }}>
      <Button type="primary" icon={<LoginOutlined />}>
        {t('header.signIn')}
      </Button>
    </Link>
  );

  return (
    <Layout className="app-shell">
      <Header className={`app-header no-print${mobile ? ' app-header-mobile' : ''}`}>
        {mobile && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('app.openMenu')}
            onClick={() => setDrawerOpen(true)}
            data-testid="open-menu"
          />
        )}
        <Brand compact={mobile || !screens.xl} />
        <div className="app-header-right">
          {!mobile && user && <UserSummary user={user} vertical={false} />}
          <LanguageSwitch size={mobile ? 'small' : 'middle'} />
          {!mobile && user && (
            <Button icon={<LogoutOutlined />} onClick={() => void onSignOut()} data-testid="sign-out">
              {t('header.signOut')}
            </Button>
          )}
          {!mobile && user === null && signInButton}
        </div>
      </Header>
      <Layout>
        {!mobile && (
          <Sider width={220} theme="light" className="app-sider no-print" breakpoint="lg" collapsible>
            {menu}
          </Sider>
        )}
        {mobile && (
          <Drawer
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            placement="left"
            size={280}
            title={<Brand compact />}
            className="app-drawer"
            styles={{ body: { padding: 0 } }}
          >
            {user && (
              <div className="app-drawer-user">
                <UserSummary user={user} vertical />
              </div>
            )}
            {menu}
            <div className="app-drawer-actions">
              {user ? (
                <Button
                  block
                  icon={<LogoutOutlined />}
                  onClick={() => void onSignOut()}
                  data-testid="sign-out"
                >
                  {t('header.signOut')}
                </Button>
              ) : (
                user === null && signInButton
              )}
            </div>
          </Drawer>
        )}
        <Layout className="app-main">
          <Content className="app-content">
            <Suspense fallback={<PageSpinner />}>
              <Outlet />
            </Suspense>
          </Content>
          <Footer className="app-footer no-print">{t('app.footer')}</Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}
