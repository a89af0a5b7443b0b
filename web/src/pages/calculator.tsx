import { CalculatorOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client.ts';
import type { EntitlementInput, EntitlementsResult } from '../api/types.ts';
import { BenefitTimeline } from '../components/benefit-timeline.tsx';
import { DateInput } from '../components/date-input.tsx';
import { EntitlementResults } from '../components/entitlement-results.tsx';
import { currentLanguage, type Language } from '../i18n/index.ts';
import { managementAreaLabel, managementAreas } from '../lib/area-names.ts';
import {
  type CalcValues,
  emptyChild,
  fieldForPointer,
  initialValues,
  OUTSIDE,
  PARENT_ROLES,
  SAME_AS_FAMILY,
  toEntitlementInput,
} from '../lib/entitlement-form.ts';
import { todayInShanghai } from '../lib/format.ts';
import { useProblemMessage } from '../lib/use-problem-message.ts';

const DATE_SHAPE = /^(\d{8}|\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)$/;
const AREA_CODE = /^\d{6}$/;

function areaOptions(lang: Language, t: (k: string) => string, withFamily: boolean) {
  return [
    ...(withFamily ? [{ value: SAME_AS_FAMILY, label: t('calc.sameAsFamily') }] : []),
    ...managementAreas.map((a) => ({
      value: a.code,
      label: managementAreaLabel(a.code, lang) ?? a.name,
    })),
    { value: OUTSIDE, label: t('calc.outsideKunming') },
  ];
}

type ServerIssue = { path: string; message: string };

function ParentCard({ role }: { role: (typeof PARENT_ROLES)[number] }) {
  const { t } = useTranslation();
  const dateRules = [{ pattern: DATE_SHAPE, message: t('calc.dateFormat') }];
  return (
    <Card
      size="small"
      className="calc-section calc-parent"
      title={t(`calc.subject.${role}`)}
      data-testid={`parent-${role}`}
      extra={
        <Form.Item name={[role, 'present']} valuePropName="checked" noStyle>
          <Switch
            size="small"
            checkedChildren={t('calc.included')}
            unCheckedChildren={t('calc.notIncluded')}
            aria-label={t('calc.includeParent', { parent: t(`calc.subject.${role}`) })}
          />
        </Form.Item>
      }
    >
      <Form.Item
        noStyle
        shouldUpdate={(a: CalcValues, b: CalcValues) => a[role]?.present !== b[role]?.present}
      >
        {({ getFieldValue }) =>
          getFieldValue([role, 'present']) ? (
            <>
              <Form.Item
                name={[role, 'birthDate']}
                label={t('calc.parentBirthDate')}
                rules={dateRules}
                className="calc-date"
              >
                <DateInput testId={`${role}-birthDate`} />
              </Form.Item>
              <div className="calc-checks">
                <Form.Item name={[role, 'employed']} valuePropName="checked" noStyle>
                  <Checkbox data-testid={`${role}-employed`}>{t('calc.employed')}</Checkbox>
                </Form.Item>
                <Form.Item name={[role, 'onlyChild']} valuePropName="checked" noStyle>
                  <Checkbox data-testid={`${role}-onlyChild`}>{t('calc.onlyChild')}</Checkbox>
                </Form.Item>
                <Form.Item name={[role, 'elderlyParentHospitalized']} valuePropName="checked" noStyle>
                  <Checkbox data-testid={`${role}-elderlyParentHospitalized`}>
                    {t('calc.elderlyInHospital')}
                  </Checkbox>
                </Form.Item>
              </div>
            </>
          ) : (
            <Typography.Text type="secondary">{t('calc.parentLeftOut')}</Typography.Text>
          )
        }
      </Form.Item>
    </Card>
  );
}

function OutsideCode({ name, testId }: { name: (string | number)[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={t('calc.outsideCode')}
      extra={t('calc.outsideCodeHelp')}
      rules={[
        { required: true, message: t('calc.outsideCodeRequired') },
        { pattern: AREA_CODE, message: t('calc.outsideCodeRequired') },
      ]}
    >
      <Input inputMode="numeric" maxLength={6} placeholder="530102" data-testid={testId} />
    </Form.Item>
  );
}

function CalculatorForm({
  onResult,
}: {
  onResult: (r: { result: EntitlementsResult; input: EntitlementInput } | null) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const problem = useProblemMessage();
  const [form] = Form.useForm<CalcValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [otherIssues, setOtherIssues] = useState<ServerIssue[]>([]);
  const initial = useMemo(() => initialValues(todayInShanghai()), []);
  const familyOptions = useMemo(() => areaOptions(lang, t, false), [lang, t]);
  const childOptions = useMemo(() => areaOptions(lang, t, true), [lang, t]);
  const dateRules = [{ pattern: DATE_SHAPE, message: t('calc.dateFormat') }];

  const submit = async (values: CalcValues) => {
    setBusy(true);
    setError(null);
    setOtherIssues([]);
    const input = toEntitlementInput(values);
    try {
      const result = await api.entitlements(input);
      onResult({ result, input });
    } catch (err) {
      onResult(null);
      const issues = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      if (issues.length === 0) {
        setError(problem(err));
        return;
      }
      // Each JSON pointer in the answer goes onto its own field; the rest is listed on top.
      const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
      const rest: ServerIssue[] = [];
      for (const issue of issues) {
        const message = issue.message?.[lang] ?? issue.message?.['zh-CN'] ?? issue.code;
        const name = fieldForPointer(issue.path, values, input);
        if (!name) {
          rest.push({ path: issue.path, message });
          continue;
        }
        const key = JSON.stringify(name);
        const entry = byField.get(key) ?? { name, errors: [] };
        entry.errors.push(message);
        byField.set(key, entry);
      }
      const fields = [...byField.values()];
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setOtherIssues(rest);
      setError(t('calc.fixFields'));
      if (fields[0]) form.scrollToField(fields[0].name, { block: 'center' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<CalcValues>
      form={form}
      layout="vertical"
      name="calc"
      initialValues={initial}
      onFinish={submit}
      onFinishFailed={({ errorFields }) => {
        if (errorFields[0]) form.scrollToField(errorFields[0].name, { block: 'center' });
      }}
      requiredMark={false}
      scrollToFirstError={false}
      className="calc-form"
    >
      {error && (
        <Alert
          type="error"
          showIcon
          className="calc-error"
          data-testid="calc-error"
          title={error}
          description={
            otherIssues.length > 0 ? (
              <ul className="calc-issues">
                {otherIssues.map((i) => (
                  <li key={i.path + i.message}>
                    <code>{i.path || '/'}</code> {i.message}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}

      <Card size="small" className="calc-section" title={t('calc.sectionBasics')}>
        <Form.Item
          name="asOf"
          label={t('calc.asOf')}
          extra={t('calc.asOfHelp')}
          rules={[{ required: true, message: t('calc.dateRequired') }, ...dateRules]}
        >
          <DateInput testId="asOf" />
        </Form.Item>
        <Form.Item name="hukouArea" label={t('calc.familyHukou')} extra={t('calc.familyHukouHelp')}>
          <Select
            allowClear
            options={familyOptions}
            placeholder={t('calc.choose')}
            data-testid="family-hukou"
            popupMatchSelectWidth
            listHeight={320}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(a: CalcValues, b: CalcValues) => a.hukouArea !== b.hukouArea}>
          {({ getFieldValue }) =>
            getFieldValue('hukouArea') === OUTSIDE ? (
              <OutsideCode name={['hukouOther']} testId="family-hukou-other" />
            ) : null
          }
        </Form.Item>
        <Form.Item name="specialFamily" valuePropName="checked" extra={t('calc.specialFamilyHelp')}>
          <Checkbox data-testid="special-family">{t('calc.specialFamily')}</Checkbox>
        </Form.Item>
      </Card>

      <div className="calc-parents">
        {PARENT_ROLES.map((role) => (
          <ParentCard key={role} role={role} />
        ))}
      </div>

      <Form.List name="children">
        {(fields, { add, remove }) => (
          <Card
            size="small"
            className="calc-section"
            title={t('calc.sectionChildren')}
            extra={
              <Typography.Text type="secondary">
                {t('calc.childrenCount', { count: fields.length })}
              </Typography.Text>
            }
          >
            {fields.length === 0 && (
              <Typography.Paragraph type="secondary">{t('calc.noChildren')}</Typography.Paragraph>
            )}
            {fields.map((field, i) => (
              <fieldset key={field.key} className="calc-child" data-testid={`child-${i}`}>
                <legend>
                  {t('calc.subject.child', { n: i + 1 })}
                  <Button
                    type="text"
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    data-testid={`child-${i}-remove`}
                    aria-label={t('calc.removeChild', { n: i + 1 })}
                  >
                    {t('calc.remove')}
                  </Button>
                </legend>
                <Row gutter={12}>
                  <Col xs={24} sm={12}>
                    <Form.Item
                      name={[field.name, 'birthDate']}
                      label={t('calc.childBirthDate')}
                      rules={[{ required: true, message: t('calc.dateRequired') }, ...dateRules]}
                    >
                      <DateInput testId={`child-${i}-birthDate`} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name={[field.name, 'hukouArea']} label={t('calc.childHukou')}>
                      <Select options={childOptions} data-testid={`child-${i}-hukou`} listHeight={320} />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item
                  noStyle
                  shouldUpdate={(a: CalcValues, b: CalcValues) =>
                    a.children?.[field.name]?.hukouArea !== b.children?.[field.name]?.hukouArea
                  }
                >
                  {({ getFieldValue }) =>
                    getFieldValue(['children', field.name, 'hukouArea']) === OUTSIDE ? (
                      <OutsideCode name={[field.name, 'hukouOther']} testId={`child-${i}-hukou-other`} />
                    ) : null
                  }
                </Form.Item>
                <div className="calc-checks">
                  <Form.Item name={[field.name, 'difficultBirth']} valuePropName="checked" noStyle>
                    <Checkbox data-testid={`child-${i}-difficultBirth`}>{t('calc.difficultBirth')}</Checkbox>
                  </Form.Item>
                  <Form.Item name={[field.name, 'adopted']} valuePropName="checked" noStyle>
                    <Checkbox data-testid={`child-${i}-adopted`}>{t('calc.adopted')}</Checkbox>
                  </Form.Item>
                </div>
                <Form.Item
                  name={[field.name, 'birthOrder']}
                  label={t('calc.birthOrderField')}
                  extra={t('calc.birthOrderHelp')}
                  className="calc-birth-order"
                >
                  <InputNumber
                    min={1}
                    max={20}
                    precision={0}
                    inputMode="numeric"
                    placeholder={t('calc.birthOrderAuto')}
                    data-testid={`child-${i}-birthOrder`}
                  />
                </Form.Item>
              </fieldset>
            ))}
            <Button
              block
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add(emptyChild())}
              disabled={fields.length >= 20}
              data-testid="add-child"
            >
              {t('calc.addChild')}
            </Button>
          </Card>
        )}
      </Form.List>

      <Card size="small" className="calc-section" title={t('calc.sectionHousing')}>
        <div className="calc-checks">
          <Form.Item name={['housing', 'ownsHome']} valuePropName="checked" noStyle>
            <Checkbox data-testid="housing-ownsHome">{t('calc.ownsHome')}</Checkbox>
          </Form.Item>
          <Form.Item name={['housing', 'rents']} valuePropName="checked" noStyle>
            <Checkbox data-testid="housing-rents">{t('calc.rents')}</Checkbox>
          </Form.Item>
          <Form.Item name={['housing', 'contributesToHousingFund']} valuePropName="checked" noStyle>
            <Checkbox data-testid="housing-contributesToHousingFund">{t('calc.contributesToFund')}</Checkbox>
          </Form.Item>
          <Form.Item name={['housing', 'buyingFirstHome']} valuePropName="checked" noStyle>
            <Checkbox data-testid="housing-buyingFirstHome">{t('calc.buyingFirstHome')}</Checkbox>
          </Form.Item>
        </div>
      </Card>

      <Button
        type="primary"
        htmlType="submit"
        size="large"
        block
        icon={<CalculatorOutlined />}
        loading={busy}
        data-testid="calc-submit"
        className="calc-submit"
      >
        {t('calc.submit')}
      </Button>
    </Form>
  );
}

/** 政策计算器 — public, no sign-in: a family's entitlements with reasons, clauses and a timeline. */
export default function CalculatorPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [answer, setAnswer] = useState<{ result: EntitlementsResult; input: EntitlementInput } | null>(null);
  const resultsRef = useRef<HTMLDivElement>(null);

  const onResult = (r: { result: EntitlementsResult; input: EntitlementInput } | null) => {
    setAnswer(r);
    if (r)
      requestAnimationFrame(() => resultsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };

  return (
    <div className="calc-page">
      <div className="page-header no-print">
        <div>
          <Typography.Title level={1} style={{ fontSize: 22 }}>
            {t('calc.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('calc.subtitle')}</Typography.Text>
        </div>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} className="no-print calc-form-col">
          <CalculatorForm onResult={onResult} />
        </Col>
        <Col xs={24} lg={14} className="calc-results-col">
          <div ref={resultsRef} className="calc-results-anchor" />
          {answer ? (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <EntitlementResults result={answer.result} input={answer.input} lang={lang} />
              <BenefitTimeline input={answer.input} lang={lang} />
              <Typography.Paragraph type="secondary" className="calc-disclaimer">
                {t('calc.disclaimer')}
              </Typography.Paragraph>
            </Space>
          ) : (
            <Card className="calc-intro no-print">
              <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
                {t('calc.introTitle')}
              </Typography.Title>
              <Typography.Paragraph>{t('calc.introBody')}</Typography.Paragraph>
              <Typography.Paragraph type="secondary">{t('calc.disclaimer')}</Typography.Paragraph>
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
