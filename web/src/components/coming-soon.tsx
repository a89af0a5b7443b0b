import { ClockCircleOutlined } from '@ant-design/icons';
import { Card, Result, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** An honest placeholder for a page that another engineer has yet to build. */
export function ComingSoon({
  titleKey,
  bodyKey,
  extra,
}: {
  titleKey: string;
  bodyKey: string;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <Result
        icon={<ClockCircleOutlined />}
        title={
          <h1 style={{ fontSize: 22, margin: 0 }}>
            {t(titleKey)} <Tag color="orange">{t('placeholder.comingSoon')}</Tag>
          </h1>
        }
        subTitle={<p style={{ maxWidth: 560, margin: '8px auto 0' }}>{t(bodyKey)}</p>}
        extra={extra}
        data-testid="coming-soon"
      />
    </Card>
  );
}
