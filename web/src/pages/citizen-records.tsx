import { Alert, Button, Card, Descriptions, Empty, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client.ts';
import type { Person } from '../api/types.ts';
import { PageSpinner } from '../components/page-spinner.tsx';
import { useApi } from '../lib/use-api.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

function sexLabel(sex: string, t: (k: string) => string): string {
  if (sex === 'M' || sex === 'male' || sex === '男') return t('citizen.sexMale');
  if (sex === 'F' || sex === 'female' || sex === '女') return t('citizen.sexFemale');
  return sex;
}

function PersonCard({ person }: { person: Person }) {
  const { t } = useTranslation();
  return (
    <>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2 }}
          size="middle"
          data-testid="person"
          items={[
            { key: 'name', label: t('citizen.name'), children: person.name },
            {
              key: 'id',
              label: t('citizen.idNumber'),
              children: <span className="mono">{person.idNumberMasked}</span>,
            },
            { key: 'sex', label: t('citizen.sex'), children: sexLabel(person.sex, t) },
            { key: 'birth', label: t('citizen.birthDate'), children: person.birthDate },
            { key: 'hukou', label: t('citizen.hukou'), children: person.hukouAreaName },
          ]}
        />
      </Card>
      <Card title={t('citizen.children')}>
        {person.children.length === 0 ? (
          <Empty description={t('citizen.noChildren')} />
        ) : (
          <ul className="child-list" data-testid="children">
            {person.children.map((c) => (
              <li key={`${c.name}-${c.birthDate}`}>
                <Typography.Text strong>{c.name}</Typography.Text>
                <Descriptions
                  size="small"
                  column={1}
                  items={[
                    { key: 'birth', label: t('citizen.birthDate'), children: c.birthDate },
                    {
                      key: 'id',
                      label: t('citizen.idNumber'),
                      children: <span className="mono">{c.idNumberMasked}</span>,
                    },
                  ]}
                />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

/** 我的信息: the signed-in citizen's own registry record (masked). Built for 390-px phones. */
export default function CitizenRecordsPage() {
  const { t } = useTranslation();
  const message = useProblemMessage();
  const [state, reload] = useApi(() => api.myPerson());

  return (
    <div className="citizen-page" style={{ maxWidth: 880 }}>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {t('citizen.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('citizen.intro')}</Typography.Paragraph>
      {state.status === 'loading' && <PageSpinner />}
      {state.status === 'error' &&
        (state.error instanceof ApiError && state.error.status === 404 ? (
          <Card>
            <Result status="info" title={message(state.error)} subTitle={t('citizen.notFound')} />
          </Card>
        ) : (
          <Alert
            type="error"
            showIcon
            title={message(state.error)}
            action={<Button onClick={reload}>{t('errors.retry')}</Button>}
          />
        ))}
      {state.status === 'ok' && <PersonCard person={state.data.person} />}
    </div>
  );
}
