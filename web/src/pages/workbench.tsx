import { SearchOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ComingSoon } from '../components/coming-soon.tsx';

/** Staff work queue. Placeholder until the case workflow exists; person search works today. */
export default function WorkbenchPage() {
  const { t } = useTranslation();
  return (
    <ComingSoon
      titleKey="placeholder.workbenchTitle"
      bodyKey="placeholder.workbenchBody"
      extra={
        <Link to="/registry/search" data-testid="workbench-search-link">
          <Button type="primary" icon={<SearchOutlined />}>
            {t('placeholder.workbenchSearch')}
          </Button>
        </Link>
      }
    />
  );
}
