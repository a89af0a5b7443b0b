import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title and one-line subtitle, with the page's actions (buttons) on the right. */
export function PageHeader({
  title,
  subtitle,
  children,
}: {
  title: ReactNode;
  subtitle: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <Typography.Title level={1} style={{ fontSize: 22 }}>
          {title}
        </Typography.Title>
        <Typography.Text type="secondary">{subtitle}</Typography.Text>
      </div>
      {children}
    </div>
  );
}
